import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Network IP availability through HTTP: pool sizes and allocations per subnet and network, filters,
// admin only.
describe('network API: network IP availabilities', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('counts the addresses of each subnet and network', async () => {
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'avail' } })).body.network;
    const s4 = (
      await member('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '10.60.0.0/28', ip_version: 4, name: 'four' },
      })
    ).body.subnet;
    await member('POST', '/v2.0/ports', { port: { network_id: net.id } });
    await member('POST', '/v2.0/ports', { port: { network_id: net.id } });
    const r = await admin('GET', `/v2.0/network-ip-availabilities/${net.id}`);
    expect(r.status).toBe(200);
    expect(r.body.network_ip_availability).toEqual({
      network_id: net.id,
      network_name: 'avail',
      tenant_id: net.project_id,
      project_id: net.project_id,
      total_ips: 13,
      used_ips: 2,
      subnet_ip_availability: [
        {
          subnet_id: s4.id,
          subnet_name: 'four',
          cidr: '10.60.0.0/28',
          ip_version: 4,
          total_ips: 13,
          used_ips: 2,
        },
      ],
    });
    const listed = await admin('GET', `/v2.0/network-ip-availabilities?network_name=avail`);
    expect(listed.body.network_ip_availabilities.map((n: any) => n.network_id)).toEqual([net.id]);
    expect(
      (await admin('GET', '/v2.0/network-ip-availabilities?ip_version=6')).body.network_ip_availabilities,
    ).toEqual([]);
    expect((await admin('GET', '/v2.0/network-ip-availabilities?color=red')).status).toBe(400);
    expect((await member('GET', '/v2.0/network-ip-availabilities')).status).toBe(403);
    expect(
      (await admin('GET', '/v2.0/network-ip-availabilities/00000000-0000-0000-0000-000000000000')).status,
    ).toBe(404);
  });
});
