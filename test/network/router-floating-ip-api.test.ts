import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Routers and floating IPs through HTTP: the external network, the gateway with SNAT, interfaces
// by subnet and by port, association through the router, and what blocks deletions.
describe('network API: routers and floating IPs', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let external: any;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
    external = (
      await admin('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true } })
    ).body.network;
    await admin('POST', '/v2.0/subnets', {
      subnet: { network_id: external.id, cidr: '203.0.113.0/24', ip_version: 4, enable_dhcp: false },
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('routes a private subnet to the external network and floats an address onto a port', async () => {
    expect((await member('GET', `/v2.0/networks/${external.id}`)).body.network['router:external']).toBe(true);
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'private' } })).body.network;
    const subnet = (
      await member('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '10.5.0.0/24', ip_version: 4 },
      })
    ).body.subnet;
    const created = await member('POST', '/v2.0/routers', {
      router: { name: 'r1', external_gateway_info: { network_id: external.id } },
    });
    expect(created.status).toBe(201);
    const router = created.body.router;
    expect(router).toMatchObject({ name: 'r1', status: 'ACTIVE', admin_state_up: true });
    expect(router.external_gateway_info).toMatchObject({ network_id: external.id, enable_snat: true });
    expect(router.external_gateway_info.external_fixed_ips[0].ip_address).toMatch(/^203\.0\.113\./);

    const iface = await member('PUT', `/v2.0/routers/${router.id}/add_router_interface`, {
      subnet_id: subnet.id,
    });
    expect(iface.status).toBe(200);
    expect(iface.body).toMatchObject({
      id: router.id,
      subnet_id: subnet.id,
      subnet_ids: [subnet.id],
      network_id: net.id,
    });
    const rport = (await member('GET', `/v2.0/ports/${iface.body.port_id}`)).body.port;
    expect(rport).toMatchObject({
      device_owner: 'network:router_interface',
      device_id: router.id,
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.5.0.1' }],
    });
    expect(
      (await member('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id }))
        .status,
    ).toBe(400);
    expect((await member('DELETE', `/v2.0/ports/${rport.id}`)).body.NeutronError.type).toBe(
      'ServicePortInUse',
    );
    // A second interface whose subnet overlaps the first is refused, and leaves no port behind.
    const net2 = (await member('POST', '/v2.0/networks', { network: { name: 'overlap' } })).body.network;
    const sub2 = (
      await member('POST', '/v2.0/subnets', {
        subnet: { network_id: net2.id, cidr: '10.5.0.0/25', ip_version: 4 },
      })
    ).body.subnet;
    const overlap = await member('PUT', `/v2.0/routers/${router.id}/add_router_interface`, {
      subnet_id: sub2.id,
    });
    expect(overlap.status).toBe(400);
    expect((await member('GET', `/v2.0/ports?network_id=${net2.id}`)).body.ports).toEqual([]);

    const vm = (
      await member('POST', '/v2.0/ports', {
        port: { network_id: net.id, device_owner: 'compute:nova', device_id: 'vm-1' },
      })
    ).body.port;
    const fip = await member('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: external.id },
    });
    expect(fip.status).toBe(201);
    expect(fip.body.floatingip).toMatchObject({
      floating_network_id: external.id,
      port_id: null,
      fixed_ip_address: null,
      router_id: null,
      status: 'DOWN',
    });
    const assoc = await member('PUT', `/v2.0/floatingips/${fip.body.floatingip.id}`, {
      floatingip: { port_id: vm.id },
    });
    expect(assoc.status).toBe(200);
    expect(assoc.body.floatingip).toMatchObject({
      port_id: vm.id,
      fixed_ip_address: vm.fixed_ips[0].ip_address,
      router_id: router.id,
      status: 'ACTIVE',
    });
    expect(assoc.body.floatingip.port_details).toMatchObject({ device_id: 'vm-1', network_id: net.id });
    // The gateway is needed by the floating IP; the router keeps its interface.
    const clear = await member('PUT', `/v2.0/routers/${router.id}`, {
      router: { external_gateway_info: null },
    });
    expect(clear.body.NeutronError.type).toBe('RouterExternalGatewayInUseByFloatingIp');
    expect((await member('DELETE', `/v2.0/routers/${router.id}`)).body.NeutronError.type).toBe('RouterInUse');
    const second = await member('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: external.id, port_id: vm.id },
    });
    expect(second.body.NeutronError.type).toBe('FloatingIPPortAlreadyAssociated');

    // Deleting the port disassociates; then everything comes apart.
    expect((await member('DELETE', `/v2.0/ports/${vm.id}`)).status).toBe(204);
    expect(
      (await member('GET', `/v2.0/floatingips/${fip.body.floatingip.id}`)).body.floatingip,
    ).toMatchObject({ port_id: null, status: 'DOWN' });
    expect((await member('DELETE', `/v2.0/floatingips/${fip.body.floatingip.id}`)).status).toBe(204);
    const removed = await member('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, {
      subnet_id: subnet.id,
    });
    expect(removed.status).toBe(200);
    expect(
      (await member('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: subnet.id }))
        .body.NeutronError.type,
    ).toBe('RouterInterfaceNotFoundForSubnet');
    expect((await member('DELETE', `/v2.0/routers/${router.id}`)).status).toBe(204);
    expect((await admin('GET', `/v2.0/ports?network_id=${external.id}`)).body.ports).toEqual([]);
  });

  it('refuses gateways and floating IPs on networks that are not external', async () => {
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'not-external' } })).body.network;
    const r = await member('POST', '/v2.0/routers', {
      router: { name: 'r2', external_gateway_info: { network_id: net.id } },
    });
    expect(r.status).toBe(400);
    expect((await member('GET', '/v2.0/routers?name=r2')).body.routers).toEqual([]);
    const f = await member('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net.id } });
    expect(f.status).toBe(400);
    // Setting SNAT is the admin's.
    const snat = await member('POST', '/v2.0/routers', {
      router: { external_gateway_info: { network_id: external.id, enable_snat: false } },
    });
    expect(snat.status).toBe(403);
  });
});
