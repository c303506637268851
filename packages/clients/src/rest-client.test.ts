import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteServiceError, ServiceTimeout, ServiceUnreachable } from './http-error';
import { RestClient } from './rest-client';
import { isConnectionError } from './retry-policy';

// A real server that drops (resets) the first `drop` connections before answering, counting them.
let server: Server | undefined;
const sockets = new Set<Socket>();
async function flakyServer(drop: number, answer: (url: string) => number = () => 200) {
  const seen = { connections: 0, requests: 0 };
  server = createServer((req, res) => {
    seen.requests++;
    if (seen.requests <= drop) {
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(answer(req.url ?? ''), { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.on('connection', (s) => {
    seen.connections++;
    sockets.add(s);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new RestClient(
    'probe',
    { endpoint: async () => url, token: async () => 'tok' },
    { retry: { backoffMs: 5 } },
  );
  return { seen, client, url };
}
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

describe('RestClient retries and timeouts', () => {
  it('retries an idempotent call on reset connections, with a bounded count', async () => {
    const { seen, client } = await flakyServer(2);
    expect(await client.json({ method: 'GET', path: '/x' })).toEqual({ ok: true });
    expect(seen.requests).toBe(3);
    const { seen: always, client: hopeless } = await (async () => {
      await new Promise((r) => server!.close(r));
      return flakyServer(1000);
    })();
    const err = await hopeless.request({ method: 'PUT', path: '/x', body: 'a' }).catch((e) => e);
    expect(err).toBeInstanceOf(ServiceUnreachable);
    expect(err.category).toBe('unavailable');
    expect(always.requests).toBe(3);
  });

  it('never retries a non-idempotent call', async () => {
    const { seen, client } = await flakyServer(1);
    await expect(client.request({ method: 'POST', path: '/x', json: {} })).rejects.toBeInstanceOf(
      ServiceUnreachable,
    );
    expect(seen.requests).toBe(1);
  });

  it('retries when nothing listens (connection refused) and then reports the peer unreachable', async () => {
    const { client, url } = await flakyServer(0);
    await new Promise((r) => server!.close(r));
    server = undefined;
    let tries = 0;
    const refused = new RestClient(
      'probe',
      {
        endpoint: async () => {
          tries++;
          return url;
        },
        token: async () => undefined,
      },
      { retry: { backoffMs: 1 } },
    );
    const err = await refused.request({ method: 'GET', path: '/' }).catch((e) => e);
    expect(err).toBeInstanceOf(ServiceUnreachable);
    expect(isConnectionError(err.cause)).toBe(true);
    expect(tries).toBe(3);
    expect(client.service).toBe('probe');
  });

  it('fails a call with no answer within its timeout, without retrying it', async () => {
    const { seen, client } = await flakyServer(0);
    server!.removeAllListeners('request');
    server!.on('request', () => {
      seen.requests++; // never answers
    });
    const started = Date.now();
    const err = await client.request({ method: 'GET', path: '/slow', timeoutSeconds: 0.2 }).catch((e) => e);
    expect(err).toBeInstanceOf(ServiceTimeout);
    expect(err.category).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen.requests).toBe(1);
  });

  it('maps error answers to typed errors of the same category', async () => {
    const { client } = await flakyServer(0, (url) => (url === '/gone' ? 404 : 409));
    const missing = await client.request({ method: 'GET', path: '/gone' }).catch((e) => e);
    expect(missing).toBeInstanceOf(RemoteServiceError);
    expect(missing).toMatchObject({ httpStatus: 404, category: 'not_found', code: 'REMOTE_PROBE_404' });
    expect((await client.request({ method: 'GET', path: '/gone', expect: [404] })).status).toBe(404);
    await expect(client.request({ method: 'DELETE', path: '/x' })).rejects.toMatchObject({
      category: 'conflict',
    });
  });
});
