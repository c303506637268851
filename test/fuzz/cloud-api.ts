import type { FuzzCloud } from './fuzz-cloud';

/** An answer read whole. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  json: any;
}

/**
 * Calls a service of the fuzz cloud for setup and checks (not for fuzzing): JSON in and out,
 * a token when given, a 30 s guard.
 */
export async function api(
  cloud: FuzzCloud,
  service: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['x-auth-token'] = options.token;
  let body: Buffer | string | undefined;
  if (Buffer.isBuffer(options.body) || typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const r = await fetch(`${cloud.url(service)}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const bytes = Buffer.from(await r.arrayBuffer());
  let json: any;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, body: bytes, json };
}

/** Like `api`, but throws unless the status is one of `ok`. */
export async function must(
  ok: number[],
  cloud: FuzzCloud,
  service: string,
  method: string,
  path: string,
  options: Parameters<typeof api>[4] = {},
): Promise<ApiAnswer> {
  const a = await api(cloud, service, method, path, options);
  if (!ok.includes(a.status))
    throw new Error(
      `${method} ${service} ${path}: HTTP ${a.status} ${a.body.toString('utf8').slice(0, 300)}`,
    );
  return a;
}

/** A project-scoped token for a user of the Default domain. */
export async function issueToken(
  cloud: FuzzCloud,
  user: string,
  password: string,
  project: string,
): Promise<{ token: string; projectId: string; userId: string }> {
  const a = await must([201], cloud, 'identity', 'POST', '/v3/auth/tokens', {
    body: {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { id: 'default' }, password } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    },
  });
  return {
    token: a.headers.get('x-subject-token')!,
    projectId: a.json.token.project.id,
    userId: a.json.token.user.id,
  };
}

/** A system-scoped token (what Keystone's Zed defaults ask for to manage limits). */
export async function issueSystemToken(cloud: FuzzCloud, user: string, password: string): Promise<string> {
  const a = await must([201], cloud, 'identity', 'POST', '/v3/auth/tokens', {
    body: {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { id: 'default' }, password } },
        },
        scope: { system: { all: true } },
      },
    },
  });
  return a.headers.get('x-subject-token')!;
}
