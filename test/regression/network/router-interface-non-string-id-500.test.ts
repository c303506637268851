import { identityService } from '@nimbus/identity';
import { networkService } from '@nimbus/network';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by the fuzzer once network joined it: add_router_interface cast port_id / subnet_id to
// strings without looking, so an object or an array answered 500 (and remove_router_interface
// named "[object Object]" in a 404). Both are Neutron's 400 for an id that is not a string.
describe('router interface ids that are not strings', () => {
  let cloud: TestCloud;
  let call: (method: string, path: string, body?: unknown) => Promise<Response>;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService, networkService], {
      identity: { password_hash_rounds: 4 },
    });
    const { token } = await adminToken(cloud);
    call = (method, path, body) =>
      fetch(`${cloud.url('network')}/v2.0${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it.each([{ port_id: { a: {} } }, { subnet_id: { g: true } }, { port_id: [] }])(
    'answers 400 NeutronError to %j on add and remove',
    async (info) => {
      const router = (await (await call('POST', '/routers', { router: { name: 'r' } })).json()) as {
        router: { id: string };
      };
      for (const action of ['add_router_interface', 'remove_router_interface']) {
        const r = await call('PUT', `/routers/${router.router.id}/${action}`, info);
        expect(r.status, action).toBe(400);
        const body = (await r.json()) as { NeutronError: { type: string; message: string } };
        expect(body.NeutronError.message).toMatch(/is not a valid UUID/);
      }
    },
  );
});
