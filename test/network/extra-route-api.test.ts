import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Extra routes through HTTP: set, normalized, refused when the nexthop is not on an attached
// subnet or is the router's own address, and they keep their interface attached.
describe('network API: router extra routes', () => {
  let cloud: TestCloud;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sets routes through attached subnets and keeps those interfaces', async () => {
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'er' } })).body.network;
    const subnet = (
      await member('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4 },
      })
    ).body.subnet;
    const router = (await member('POST', '/v2.0/routers', { router: { name: 'er' } })).body.router;
    expect(router.routes).toEqual([]);
    const put = (routes: unknown) => member('PUT', `/v2.0/routers/${router.id}`, { router: { routes } });
    const unattached = await put([{ destination: '10.50.0.0/24', nexthop: '10.40.0.10' }]);
    expect(unattached.status).toBe(400);
    expect(unattached.body.NeutronError.type).toBe('InvalidRoutes');
    await member('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
    const own = await put([{ destination: '10.50.0.0/24', nexthop: '10.40.0.1' }]);
    expect(own.body.NeutronError.message).toContain('the nexthop is used by router');
    const ok = await put([{ destination: '10.50.0.7/24', nexthop: '10.40.0.10' }]);
    expect(ok.status).toBe(200);
    expect(ok.body.router.routes).toEqual([{ destination: '10.50.0.0/24', nexthop: '10.40.0.10' }]);
    expect((await put([{ destination: 'x', nexthop: '10.40.0.10' }])).status).toBe(400);
    const detach = await member('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, {
      subnet_id: subnet.id,
    });
    expect(detach.status).toBe(409);
    expect(detach.body.NeutronError.type).toBe('RouterInterfaceInUseByRoute');
    expect((await put(null)).body.router.routes).toEqual([]);
    expect(
      (await member('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id }))
        .status,
    ).toBe(200);
  });
});
