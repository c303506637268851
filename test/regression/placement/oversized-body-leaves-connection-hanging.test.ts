import http from 'node:http';
import { placementService } from '@nimbus/placement';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by the fuzzer once placement joined it: a body refused midway ("Request is too large.")
// left its unread rest on the kept-alive connection, so the next request on that connection
// never got an answer. A fault answered before the whole body arrived must close the connection.
describe('a request body refused as too large', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud([placementService], { api: { auth_strategy: 'noauth2' } });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers 400 and closes the connection, so the client never waits behind the unread rest', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { 'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39' };
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
        const req = http.request(
          `${cloud.url('placement')}${path}`,
          { method, agent, headers: body ? { ...headers, 'content-type': 'application/json' } : headers },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }),
            );
          },
        );
        req.setTimeout(4000, () => req.destroy(new Error(`${method} ${path}: no answer within 4 s`)));
        req.on('error', reject);
        req.end(body);
      });
    try {
      const big = await send('POST', '/resource_providers', JSON.stringify({ name: 'x'.repeat(1_000_000) }));
      expect(big.status).toBe(400);
      expect(big.text).toContain('Request is too large.');
      expect(big.connection).toBe('close');
      expect((await send('GET', '/')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
