/** A small noauth2 client for Placement tests: JSON in and out, the latest microversion by default. */
export interface PlacementAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Calls Placement as upstream's functional tests do (`x-auth-token: admin`). */
export async function placementCall(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<PlacementAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'x-auth-token': 'admin',
      accept: 'application/json',
      'openstack-api-version': 'placement latest',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
