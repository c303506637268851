import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Regressions found by neutron-tempest-plugin's API tests: subnets filtered by their network's
// `shared`, external access by project-targeted RBAC policies, subnet pool prefix lengths shown
// as strings, and the security group checks upstream makes.
describe('network API: neutron-tempest-plugin regressions', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let memberProject: string;

  beforeAll(async () => {
    ({ cloud, admin, member, memberProject } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const ids = (list: { id: string }[]) => list.map((x) => x.id);

  it('filters subnets by whether their network is shared', async () => {
    const shared = (await admin('POST', '/v2.0/networks', { network: { name: 'sh', shared: true } })).body
      .network;
    const own = (await member('POST', '/v2.0/networks', { network: { name: 'own' } })).body.network;
    const sub = async (c: Caller, net: string, cidr: string) =>
      (await c('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr, ip_version: 4 } })).body.subnet;
    const s1 = await sub(admin, shared.id, '10.81.0.0/24');
    const s2 = await sub(member, own.id, '10.82.0.0/24');
    for (const c of [admin, member]) {
      const on = (await c('GET', '/v2.0/subnets?shared=True')).body.subnets;
      const off = (await c('GET', '/v2.0/subnets?shared=False')).body.subnets;
      expect(ids(on)).toContain(s1.id);
      expect(ids(on)).not.toContain(s2.id);
      expect(ids(off)).toContain(s2.id);
      expect(ids(off)).not.toContain(s1.id);
      expect(on[0]).not.toHaveProperty('shared');
    }
  });

  it('pages a member’s subnets without losing rows to external networks’ subnets', async () => {
    const ext = (
      await admin('POST', '/v2.0/networks', { network: { name: 'ext-page', 'router:external': true } })
    ).body.network;
    for (const i of [1, 2, 3])
      await admin('POST', '/v2.0/subnets', {
        subnet: { network_id: ext.id, cidr: `10.85.${i}.0/24`, ip_version: 4 },
      });
    const all = (await member('GET', '/v2.0/subnets')).body.subnets;
    expect(all.length).toBeGreaterThan(1);
    expect(all.map((x: { network_id: string }) => x.network_id)).not.toContain(ext.id);
    const page = (await member('GET', `/v2.0/subnets?limit=${all.length}`)).body.subnets;
    expect(ids(page)).toEqual(ids(all));
  });

  it('makes a network external for the one project an external policy names', async () => {
    const net = (await admin('POST', '/v2.0/networks', { network: { name: 'ext-one' } })).body.network;
    await admin('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.83.0.0/24', ip_version: 4, enable_dhcp: false },
    });
    const policy = (
      await admin('POST', '/v2.0/rbac-policies', {
        rbac_policy: {
          object_type: 'network',
          object_id: net.id,
          action: 'access_as_external',
          target_tenant: memberProject,
        },
      })
    ).body.rbac_policy;
    expect((await admin('GET', `/v2.0/networks/${net.id}`)).body.network['router:external']).toBe(true);
    expect(ids((await member('GET', '/v2.0/networks')).body.networks)).toContain(net.id);
    const router = await member('POST', '/v2.0/routers', {
      router: { name: 'r', external_gateway_info: { network_id: net.id } },
    });
    expect(router.status).toBe(201);
    // The member's gateway relies on the policy: it stays.
    const del = await admin('DELETE', `/v2.0/rbac-policies/${policy.id}`);
    expect(del.status).toBe(409);
    expect(del.body.NeutronError.type).toBe('RbacPolicyInUse');
    // Retargeting to everyone keeps the member's access.
    expect(
      (await admin('PUT', `/v2.0/rbac-policies/${policy.id}`, { rbac_policy: { target_tenant: '*' } }))
        .status,
    ).toBe(200);
    expect((await admin('DELETE', `/v2.0/routers/${router.body.router.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v2.0/rbac-policies/${policy.id}`)).status).toBe(204);
    expect((await admin('GET', `/v2.0/networks/${net.id}`)).body.network['router:external']).toBe(false);
    const again = await member('POST', '/v2.0/routers', {
      router: { name: 'r2', external_gateway_info: { network_id: net.id } },
    });
    expect(again.status).toBe(404);
  });

  it('keeps a network hidden from projects an external policy does not name', async () => {
    const net = (await admin('POST', '/v2.0/networks', { network: { name: 'ext-admin' } })).body.network;
    const adminProject = (await admin('GET', `/v2.0/networks/${net.id}`)).body.network.project_id;
    await admin('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_external',
        target_tenant: adminProject,
      },
    });
    const fip = await member('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net.id } });
    expect(fip.status).toBe(404);
  });

  it('refuses a member sharing a network it does not own (400)', async () => {
    const net = (await admin('POST', '/v2.0/networks', { network: { name: 'not-mine' } })).body.network;
    await admin('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: memberProject,
      },
    });
    const r = await member('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: memberProject,
      },
    });
    expect(r.status).toBe(400);
  });

  it('shows subnet pool prefix lengths as strings, as Neutron does', async () => {
    const pool = (
      await member('POST', '/v2.0/subnetpools', {
        subnetpool: { name: 'p', prefixes: ['10.90.0.0/16'], min_prefixlen: '24' },
      })
    ).body.subnetpool;
    expect(pool).toMatchObject({ min_prefixlen: '24', default_prefixlen: '24', max_prefixlen: '32' });
    const shown = (await member('GET', `/v2.0/subnetpools/${pool.id}`)).body.subnetpool;
    expect(shown.min_prefixlen).toBe('24');
  });

  it('refuses IPv6 protocols on IPv4 rules and a group named twice on a port', async () => {
    const sg = (await member('POST', '/v2.0/security-groups', { security_group: { name: 'g' } })).body
      .security_group;
    for (const protocol of ['ipv6-icmp', '41', 'ipv6-route']) {
      const r = await member('POST', '/v2.0/security-group-rules', {
        security_group_rule: { security_group_id: sg.id, direction: 'ingress', ethertype: 'IPv4', protocol },
      });
      expect(r.status).toBe(400);
      expect(r.body.NeutronError.type).toBe('SecurityGroupEthertypeConflictWithProtocol');
    }
    const v6 = await member('POST', '/v2.0/security-group-rules', {
      security_group_rule: {
        security_group_id: sg.id,
        direction: 'ingress',
        ethertype: 'IPv6',
        protocol: 'ipv6-icmp',
      },
    });
    expect(v6.status).toBe(201);
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'sgnet' } })).body.network;
    const port = (await member('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
    const twice = await member('PUT', `/v2.0/ports/${port.id}`, {
      port: { security_groups: [sg.id, sg.id] },
    });
    expect(twice.status).toBe(400);
  });

  it('adds a second address of the same subnet to a port without taking its first again', async () => {
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'two-ips' } })).body.network;
    // A small pool, so an address picked at random would often be the port's first one.
    const subnet = (
      await member('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '10.84.0.0/28', ip_version: 4 },
      })
    ).body.subnet;
    for (let i = 0; i < 8; i++) {
      const port = (await member('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
      const r = await member('PUT', `/v2.0/ports/${port.id}`, {
        port: { fixed_ips: [...port.fixed_ips, { subnet_id: subnet.id }] },
      });
      expect(r.status).toBe(200);
      const addresses = r.body.port.fixed_ips.map((f: { ip_address: string }) => f.ip_address);
      expect(new Set(addresses).size).toBe(2);
      await member('DELETE', `/v2.0/ports/${port.id}`);
    }
  });

  it('counts a new group’s egress rules against the rule quota, and bounds quota values', async () => {
    const project = memberProject;
    for (const value of [-2, 2147483648, 'value']) {
      const r = await admin('PUT', `/v2.0/quotas/${project}`, { quota: { security_group: value } });
      expect(r.status).toBe(400);
    }
    expect(
      (await admin('PUT', `/v2.0/quotas/${project}`, { quota: { security_group_rule: 0 } })).status,
    ).toBe(200);
    const r = await member('POST', '/v2.0/security-groups', { security_group: { name: 'over' } });
    expect(r.status).toBe(409);
    await admin('DELETE', `/v2.0/quotas/${project}`);
  });
});
