import type { Route } from '@nimbus/http';

/**
 * Wraps every route that changes identity's data so that, once it has run, `changed` is called:
 * the service uses it to drop the caches token issue and validation read through. Token issue
 * itself (`POST /v3/auth/tokens`) changes nothing the caches hold and is left alone, so a stream
 * of logins does not keep flushing them.
 */
export function invalidatingWrites(routes: readonly Route[], changed: () => void): Route[] {
  return routes.map((r) => {
    if (r.method === 'GET' || r.method === 'HEAD' || (r.method === 'POST' && r.path === '/v3/auth/tokens'))
      return r;
    const inner = r.handler;
    return {
      ...r,
      handler: async (req) => {
        try {
          return await inner(req);
        } finally {
          changed();
        }
      },
    };
  });
}
