/** A JSON answer of an API: status, headers and the parsed body (the text when it is not JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A caller of one API with one token. */
export type Caller = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Answer>;

/** Makes a caller for a base URL and token; an object body is sent as JSON, a string as it is. */
export function jsonCaller(base: string, token: string): Caller {
  return async (method, path, body, headers = {}) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        'x-auth-token': token,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: r.status, headers: r.headers, body: json };
  };
}
