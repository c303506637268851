import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Subnet pools and address scopes through HTTP: prefixes merged, bounds, subnets allocated from a
// pool (asked CIDR or the next free block), quotas, default pools, scopes and their conflicts.
describe('network API: subnet pools and address scopes', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('makes a pool with upstream defaults and refuses bad prefixes and bounds', async () => {
    const r = await member('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'p', prefixes: ['10.10.1.0/24', '10.10.0.0/24'] },
    });
    expect(r.status).toBe(201);
    expect(r.body.subnetpool).toMatchObject({
      name: 'p',
      prefixes: ['10.10.0.0/23'],
      ip_version: 4,
      // Neutron shows the prefix lengths as strings.
      min_prefixlen: '8',
      max_prefixlen: '32',
      default_prefixlen: '8',
      default_quota: null,
      is_default: false,
      shared: false,
      address_scope_id: null,
      tags: [],
      revision_number: 0,
    });
    const mixed = await member('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'm', prefixes: ['10.0.0.0/8', '2001:db8::/32'] },
    });
    expect(mixed.body.NeutronError.type).toBe('PrefixVersionMismatch');
    const b = await member('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'b', prefixes: ['10.0.0.0/8'], min_prefixlen: 24, default_prefixlen: 16 },
    });
    expect(b.status).toBe(400);
    expect(b.body.NeutronError.message).toBe(
      'Illegal prefix bounds: default_prefixlen=16, min_prefixlen=24.',
    );
    expect(
      (await member('POST', '/v2.0/subnetpools', { subnetpool: { prefixes: ['10.0.0.0/8'] } })).status,
    ).toBe(400);
    expect(
      (
        await member('POST', '/v2.0/subnetpools', {
          subnetpool: { name: 's', prefixes: ['10.0.0.0/8'], shared: true },
        })
      ).status,
    ).toBe(403);
    const shrink = await member('PUT', `/v2.0/subnetpools/${r.body.subnetpool.id}`, {
      subnetpool: { prefixes: ['10.10.0.0/24'] },
    });
    expect(shrink.body.NeutronError.type).toBe('IllegalSubnetPoolPrefixUpdate');
    const grow = await member('PUT', `/v2.0/subnetpools/${r.body.subnetpool.id}`, {
      subnetpool: { prefixes: ['10.10.0.0/23', '10.10.2.0/23'] },
    });
    expect(grow.body.subnetpool.prefixes).toEqual(['10.10.0.0/22']);
  });

  it('allocates subnets from a pool, within bounds and quota, and refuses deleting a used pool', async () => {
    const pool = (
      await member('POST', '/v2.0/subnetpools', {
        subnetpool: {
          name: 'alloc',
          prefixes: ['10.20.0.0/22'],
          default_prefixlen: 24,
          min_prefixlen: 23,
          default_quota: 512,
        },
      })
    ).body.subnetpool;
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'pn' } })).body.network;
    const sub = (body: Record<string, unknown>) =>
      member('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, ip_version: 4, subnetpool_id: pool.id, ...body },
      });
    const a = await sub({});
    expect(a.status).toBe(201);
    expect(a.body.subnet).toMatchObject({
      cidr: '10.20.0.0/24',
      subnetpool_id: pool.id,
      gateway_ip: '10.20.0.1',
    });
    const net2 = (await member('POST', '/v2.0/networks', { network: { name: 'pn2' } })).body.network;
    const b = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net2.id, ip_version: 4, subnetpool_id: pool.id, cidr: '10.20.0.128/25' },
    });
    expect(b.status).toBe(409);
    expect(b.body.NeutronError.type).toBe('SubnetAllocationError');
    const c = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net2.id, ip_version: 4, subnetpool_id: pool.id, prefixlen: 25 },
    });
    expect(c.body.subnet.cidr).toBe('10.20.1.0/25');
    const tooBig = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net2.id, ip_version: 4, subnetpool_id: pool.id, prefixlen: 22 },
    });
    expect(tooBig.body.NeutronError.type).toBe('MinPrefixSubnetAllocationError');
    const over = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net2.id, ip_version: 4, subnetpool_id: pool.id, prefixlen: 24 },
    });
    expect(over.status).toBe(409);
    expect(over.body.NeutronError.type).toBe('SubnetPoolQuotaExceeded');
    const del = await member('DELETE', `/v2.0/subnetpools/${pool.id}`);
    expect(del.status).toBe(409);
    expect(del.body.NeutronError.type).toBe('SubnetPoolInUse');
  });

  it('uses the default pool, and keeps one default per IP version', async () => {
    const dflt = await admin('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'd6', prefixes: ['2001:db8:1::/48'], is_default: true, shared: true },
    });
    expect(dflt.status).toBe(201);
    const second = await admin('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 'd6b', prefixes: ['2001:db8:2::/48'], is_default: true },
    });
    expect(second.status).toBe(400);
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'v6' } })).body.network;
    const s = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 6, use_default_subnetpool: true },
    });
    expect(s.status).toBe(201);
    expect(s.body.subnet).toMatchObject({ cidr: '2001:db8:1::/64', subnetpool_id: dflt.body.subnetpool.id });
    expect(s.body.subnet.use_default_subnetpool).toBeUndefined();
    const none = await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 4, use_default_subnetpool: true },
    });
    expect(none.status).toBe(400);
  });

  it('puts pools in address scopes without overlap and shows the scope on networks', async () => {
    const scope = await member('POST', '/v2.0/address-scopes', {
      address_scope: { name: 'as', ip_version: 4 },
    });
    expect(scope.status).toBe(201);
    expect(scope.body.address_scope).toMatchObject({ name: 'as', ip_version: 4, shared: false });
    const sid = scope.body.address_scope.id;
    const p1 = await member('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 's1', prefixes: ['10.30.0.0/16'], address_scope_id: sid, default_prefixlen: 24 },
    });
    expect(p1.status).toBe(201);
    const clash = await member('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 's2', prefixes: ['10.30.128.0/17'], address_scope_id: sid },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.NeutronError.type).toBe('AddressScopePrefixConflict');
    const v6 = await member('POST', '/v2.0/subnetpools', {
      subnetpool: { name: 's3', prefixes: ['2001:db8:9::/48'], address_scope_id: sid },
    });
    expect(v6.body.NeutronError.type).toBe('IllegalSubnetPoolIpVersionAssociationToAddressScope');
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'scoped' } })).body.network;
    await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 4, subnetpool_id: p1.body.subnetpool.id },
    });
    const shown = (await member('GET', `/v2.0/networks/${net.id}`)).body.network;
    expect(shown.ipv4_address_scope).toBe(sid);
    expect(shown.ipv6_address_scope).toBeNull();
    const inUse = await member('DELETE', `/v2.0/address-scopes/${sid}`);
    expect(inUse.body.NeutronError.type).toBe('AddressScopeInUse');
    expect((await admin('GET', '/v2.0/address-scopes')).body.address_scopes.map((a: any) => a.id)).toContain(
      sid,
    );
  });
});
