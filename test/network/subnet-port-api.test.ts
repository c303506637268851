import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Subnets and ports through HTTP: IPv4 and IPv6 IPAM, pools, gateways, fixed IPs, MACs,
// exhaustion, conflicts, bindings, and 16 concurrent port creates on one subnet.
describe('network API: subnets, ports and IPAM', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  const network = async (name: string) =>
    (await member('POST', '/v2.0/networks', { network: { name } })).body.network;

  it('creates an IPv4 subnet with the default gateway and pool', async () => {
    const net = await network('v4');
    const r = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, name: 's4' },
    });
    expect(r.status).toBe(201);
    expect(r.body.subnet).toMatchObject({
      cidr: '10.0.0.0/24',
      gateway_ip: '10.0.0.1',
      allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }],
      enable_dhcp: true,
      ipv6_ra_mode: null,
      ipv6_address_mode: null,
      dns_nameservers: [],
      host_routes: [],
      service_types: [],
      subnetpool_id: null,
      revision_number: 0,
    });
    expect(r.body.subnet.prefixlen).toBeUndefined();
    expect((await member('GET', `/v2.0/networks/${net.id}`)).body.network.subnets).toEqual([
      r.body.subnet.id,
    ]);
    // The same CIDR on the same network overlaps; on another network it is fine.
    const again = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.0.0.128/25', ip_version: 4 },
    });
    expect(again.status).toBe(400);
    const other = await network('v4-other');
    expect(
      (
        await member('POST', '/v2.0/subnets', {
          subnet: { network_id: other.id, cidr: '10.0.0.0/24', ip_version: 4 },
        })
      ).status,
    ).toBe(201);
  });

  it('checks pools, gateways and CIDRs', async () => {
    const net = await network('pools');
    const base = { network_id: net.id, ip_version: 4, cidr: '10.1.0.0/24' };
    const out = await member('POST', '/v2.0/subnets', {
      subnet: { ...base, allocation_pools: [{ start: '10.1.0.10', end: '10.1.1.5' }] },
    });
    expect(out.body.NeutronError.type).toBe('OutOfBoundsAllocationPool');
    const gw = await member('POST', '/v2.0/subnets', {
      subnet: {
        ...base,
        gateway_ip: '10.1.0.20',
        allocation_pools: [{ start: '10.1.0.10', end: '10.1.0.30' }],
      },
    });
    expect(gw.status).toBe(409);
    expect(gw.body.NeutronError.type).toBe('GatewayConflictWithAllocationPools');
    const host = await member('POST', '/v2.0/subnets', { subnet: { ...base, cidr: '10.1.0.5/24' } });
    expect(host.status).toBe(400);
    const none = await member('POST', '/v2.0/subnets', {
      subnet: {
        ...base,
        gateway_ip: null,
        dns_nameservers: ['8.8.8.8'],
        host_routes: [{ destination: '0.0.0.0/0', nexthop: '10.1.0.254' }],
      },
    });
    expect(none.status).toBe(201);
    expect(none.body.subnet.gateway_ip).toBeNull();
    expect(none.body.subnet.allocation_pools).toEqual([{ start: '10.1.0.1', end: '10.1.0.254' }]);
    const upd = await member('PUT', `/v2.0/subnets/${none.body.subnet.id}`, {
      subnet: { dns_nameservers: ['1.1.1.1', '9.9.9.9'], enable_dhcp: false },
    });
    expect(upd.body.subnet).toMatchObject({
      dns_nameservers: ['1.1.1.1', '9.9.9.9'],
      enable_dhcp: false,
      revision_number: 1,
    });
  });

  it('gives ports a MAC from base_mac and an address, by subnet or address', async () => {
    const net = await network('ports');
    const s = (
      await member('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '192.168.5.0/29', ip_version: 4 },
      })
    ).body.subnet;
    const p = await member('POST', '/v2.0/ports', { port: { network_id: net.id } });
    expect(p.status).toBe(201);
    const port = p.body.port;
    expect(port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(port.fixed_ips).toHaveLength(1);
    expect(port.fixed_ips[0].subnet_id).toBe(s.id);
    expect(port).toMatchObject({
      status: 'DOWN',
      admin_state_up: true,
      device_id: '',
      device_owner: '',
      port_security_enabled: true,
    });
    expect(port.security_groups).toHaveLength(1);
    // The first port got any free address; ask for another one explicitly.
    const wanted = port.fixed_ips[0].ip_address === '192.168.5.5' ? '192.168.5.6' : '192.168.5.5';
    const fixed = await member('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ ip_address: wanted }] },
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body.port.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: wanted }]);
    const dup = await member('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ subnet_id: s.id, ip_address: wanted }] },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.NeutronError.type).toBe('IpAddressAlreadyAllocated');
    const outside = await member('POST', '/v2.0/ports', {
      port: { network_id: net.id, fixed_ips: [{ ip_address: '10.99.0.1' }] },
    });
    expect(outside.body.NeutronError.type).toBe('InvalidIpForNetwork');
    // Filter by address, then exhaust the /29: 2..6 usable, two taken.
    const byIp = await member('GET', `/v2.0/ports?fixed_ips=ip_address%3D${wanted}`);
    expect(byIp.body.ports.map((x: any) => x.id)).toEqual([fixed.body.port.id]);
    for (let i = 0; i < 3; i++)
      expect((await member('POST', '/v2.0/ports', { port: { network_id: net.id } })).status).toBe(201);
    const full = await member('POST', '/v2.0/ports', { port: { network_id: net.id } });
    expect(full.status).toBe(409);
    expect(full.body.NeutronError.type).toBe('IpAddressGenerationFailure');
    // A subnet with allocations cannot go; a network with ports neither.
    expect((await member('DELETE', `/v2.0/subnets/${s.id}`)).body.NeutronError.type).toBe('SubnetInUse');
    expect((await member('DELETE', `/v2.0/networks/${net.id}`)).body.NeutronError.type).toBe('NetworkInUse');
  });

  it('refuses a MAC in use and binds ports through the fake driver', async () => {
    const net = await network('macs');
    await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '172.16.0.0/24', ip_version: 4 },
    });
    const a = (
      await admin('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'fa:16:3e:00:00:01' } })
    ).body.port;
    expect(a.mac_address).toBe('fa:16:3e:00:00:01');
    const b = await admin('POST', '/v2.0/ports', {
      port: { network_id: net.id, mac_address: 'fa:16:3e:00:00:01' },
    });
    expect(b.status).toBe(409);
    expect(b.body.NeutronError.type).toBe('MacAddressInUse');
    const bound = await admin('PUT', `/v2.0/ports/${a.id}`, {
      port: { 'binding:host_id': 'compute1', device_owner: 'compute:nova', device_id: 'vm1' },
    });
    expect(bound.body.port).toMatchObject({
      'binding:vif_type': 'ovs',
      'binding:host_id': 'compute1',
      status: 'ACTIVE',
    });
    const direct = await admin('POST', '/v2.0/ports', {
      port: { network_id: net.id, 'binding:host_id': 'compute1', 'binding:vnic_type': 'direct' },
    });
    expect(direct.body.port['binding:vif_type']).toBe('binding_failed');
  });

  it('gives IPv6 ports SLAAC addresses from their MAC and stateful ones from pools', async () => {
    const net = await network('v6');
    const slaac = await member('POST', '/v2.0/subnets', {
      subnet: {
        network_id: net.id,
        cidr: '2001:db8:1::/64',
        ip_version: 6,
        ipv6_ra_mode: 'slaac',
        ipv6_address_mode: 'slaac',
      },
    });
    expect(slaac.status).toBe(201);
    expect(slaac.body.subnet).toMatchObject({
      gateway_ip: '2001:db8:1::1',
      allocation_pools: [{ start: '2001:db8:1::2', end: '2001:db8:1:0:ffff:ffff:ffff:ffff' }],
    });
    const port = (
      await admin('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'fa:16:3e:12:34:56' } })
    ).body.port;
    expect(port.fixed_ips).toEqual([
      { subnet_id: slaac.body.subnet.id, ip_address: '2001:db8:1:0:f816:3eff:fe12:3456' },
    ]);
    const bad = await member('POST', '/v2.0/subnets', {
      subnet: {
        network_id: net.id,
        cidr: '2001:db8:2::/64',
        ip_version: 6,
        ipv6_ra_mode: 'slaac',
        ipv6_address_mode: 'dhcpv6-stateful',
      },
    });
    expect(bad.status).toBe(400);
    const stateful = await member('POST', '/v2.0/subnets', {
      subnet: {
        network_id: net.id,
        cidr: '2001:db8:3::/64',
        ip_version: 6,
        ipv6_address_mode: 'dhcpv6-stateful',
      },
    });
    expect(stateful.status).toBe(201);
    const p2 = (await admin('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
    expect(p2.fixed_ips.map((f: any) => f.subnet_id).sort()).toEqual(
      [slaac.body.subnet.id, stateful.body.subnet.id].sort(),
    );
    // Deleting the SLAAC subnet takes its automatic addresses along.
    expect((await member('DELETE', `/v2.0/subnets/${slaac.body.subnet.id}`)).status).toBe(204);
  });

  it('never hands one address to two of 16 concurrent port creates', async () => {
    const net = await network('race');
    await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.20.0.0/27', ip_version: 4 },
    });
    const results = await Promise.all(
      Array.from({ length: 16 }, () => member('POST', '/v2.0/ports', { port: { network_id: net.id } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(201));
    const ips = results.map((r) => r.body.port.fixed_ips[0].ip_address);
    expect(new Set(ips).size).toBe(16);
  });

  it('creates ports in bulk, all or nothing', async () => {
    const net = await network('bulk');
    await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.30.0.0/24', ip_version: 4 },
    });
    const ok = await member('POST', '/v2.0/ports', {
      ports: [
        { network_id: net.id, name: 'a' },
        { network_id: net.id, name: 'b' },
      ],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.ports.map((p: any) => p.name)).toEqual(['a', 'b']);
    const bad = await member('POST', '/v2.0/ports', {
      ports: [
        { network_id: net.id, name: 'c' },
        { network_id: net.id, fixed_ips: [{ ip_address: '10.99.0.1' }] },
      ],
    });
    expect(bad.status).toBe(400);
    const names = (await member('GET', `/v2.0/ports?network_id=${net.id}`)).body.ports
      .map((p: any) => p.name)
      .sort();
    expect(names).toEqual(['a', 'b']);
  });
});
