import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

const V235 = { 'openstack-api-version': 'compute 2.35' };
const V236 = { 'openstack-api-version': 'compute 2.36' };
const V243 = { 'openstack-api-version': 'compute 2.43' };
const V244 = { 'openstack-api-version': 'compute 2.44' };

describe('compute: the network proxy APIs (security groups, floating IPs, networks) and their actions', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;
  let serverId: string;
  let publicId: string;

  const sg = (method: string, path: string, body?: unknown) => compute(method, path, body, V235);

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
    const pub = await env.network('POST', '/v2.0/networks', {
      network: { name: 'public', 'router:external': true },
    });
    publicId = pub.body.network.id;
    await env.network('POST', '/v2.0/subnets', {
      subnet: { network_id: publicId, cidr: '172.24.4.0/24', ip_version: 4, enable_dhcp: false },
    });
    const subnets = await env.network('GET', `/v2.0/subnets?network_id=${env.networkId}`);
    const router = await env.network('POST', '/v2.0/routers', {
      router: { name: 'r', external_gateway_info: { network_id: publicId } },
    });
    await env.network('PUT', `/v2.0/routers/${router.body.router.id}/add_router_interface`, {
      subnet_id: subnets.body.subnets[0].id,
    });
    const r = await compute('POST', '/servers', {
      server: {
        name: 'px',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
      },
    });
    serverId = r.body.server.id;
    await waitServer(compute, serverId, (s) => s.status === 'ACTIVE');
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('creates, shows, updates, lists and deletes security groups in Nova view, 404 past 2.35', async () => {
    const created = await sg('POST', '/os-security-groups', {
      security_group: { name: ' a b ', description: 'd' },
    });
    expect(created.status).toBe(200);
    const group = created.body.security_group;
    expect(group).toEqual({
      id: expect.any(String),
      name: ' a b ',
      description: 'd',
      tenant_id: env.projectId,
      rules: [],
    });
    expect((await sg('GET', `/os-security-groups/${group.id}`)).body.security_group).toEqual(group);
    const updated = await sg('PUT', `/os-security-groups/${group.id}`, {
      security_group: { name: 'n2', description: 'd2' },
    });
    expect(updated.body.security_group).toMatchObject({ name: 'n2', description: 'd2' });
    const listed = await sg('GET', '/os-security-groups');
    expect(listed.body.security_groups.map((g: any) => g.name)).toEqual(['default', 'n2']);
    expect((await compute('GET', '/os-security-groups', undefined, V236)).status).toBe(404);
    expect((await sg('GET', '/os-security-groups/not-a-uuid')).status).toBe(400);
    expect((await sg('POST', '/os-security-groups', {})).body.badRequest.message).toBe(
      "The request body can't be empty",
    );
    expect((await sg('POST', '/os-security-groups', { security_group: { name: 'x' } })).status).toBe(400);
    const dflt = listed.body.security_groups.find((g: any) => g.name === 'default');
    expect((await sg('DELETE', `/os-security-groups/${dflt.id}`)).status).toBe(400);
    expect((await sg('DELETE', `/os-security-groups/${group.id}`)).status).toBe(202);
    expect((await sg('GET', `/os-security-groups/${group.id}`)).status).toBe(404);
  });

  it('creates and deletes rules with Nova validation messages', async () => {
    const parent = (
      await sg('POST', '/os-security-groups', { security_group: { name: 'r', description: '' } })
    ).body.security_group;
    const peer = (
      await sg('POST', '/os-security-groups', { security_group: { name: 'peer', description: '' } })
    ).body.security_group;
    const rule = (body: Record<string, unknown>) =>
      sg('POST', '/os-security-group-rules', {
        security_group_rule: { parent_group_id: parent.id, ...body },
      });
    const made = await rule({ ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/24' });
    expect(made.status).toBe(200);
    expect(made.body.security_group_rule).toEqual({
      id: expect.any(String),
      parent_group_id: parent.id,
      ip_protocol: 'tcp',
      from_port: 22,
      to_port: 22,
      group: {},
      ip_range: { cidr: '10.0.0.0/24' },
    });
    const dup = await rule({ ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/24' });
    expect(dup.body.badRequest.message).toBe(`This rule already exists in group ${parent.id}`);
    const bad = async (body: Record<string, unknown>) => (await rule(body)).body.badRequest?.message;
    expect(await bad({ ip_protocol: 'tcp', from_port: 22, to_port: 21 })).toBe(
      'Invalid port range 22:21. Former value cannot be greater than the later',
    );
    expect(await bad({ ip_protocol: 'tcp', from_port: 70000, to_port: 22 })).toContain(
      'Invalid port range 70000:22.',
    );
    expect(await bad({ ip_protocol: 'tcp', from_port: 22, to_port: 70000 })).toBe(
      'Invalid port range 22:70000. Valid TCP ports should be between 1-65535',
    );
    expect(await bad({ ip_protocol: 'gre', from_port: 1, to_port: 2 })).toBe('Invalid IP protocol gre.');
    expect(await bad({ ip_protocol: 'tcp', from_port: 'x', to_port: 2 })).toBe(
      'Invalid input received: To and From ports must be integers',
    );
    expect(await bad({ ip_protocol: 'tcp', from_port: 1, to_port: 2, cidr: '10.0.0.300/8' })).toBe(
      '10.0.0.300/8 is not a valid IP network.',
    );
    expect(await bad({ ip_protocol: 'tcp' })).toBe('Not enough parameters to build a valid rule.');
    expect(await bad({ ip_protocol: 'tcp', from_port: 1, to_port: 2, group_id: 'nope' })).toBe(
      'Security group id should be uuid',
    );
    const byGroup = await rule({ ip_protocol: 'tcp', group_id: peer.id });
    expect(byGroup.body.security_group_rule).toMatchObject({
      from_port: 1,
      to_port: 65535,
      group: { name: 'peer', tenant_id: env.projectId },
      ip_range: {},
    });
    const shown = (await sg('GET', `/os-security-groups/${parent.id}`)).body.security_group;
    expect(shown.rules).toHaveLength(2);
    expect((await sg('DELETE', `/os-security-group-rules/${made.body.security_group_rule.id}`)).status).toBe(
      202,
    );
    expect((await sg('DELETE', `/os-security-group-rules/${made.body.security_group_rule.id}`)).status).toBe(
      404,
    );
    // A rule whose peer group is gone is not shown.
    await sg('DELETE', `/os-security-group-rules/${byGroup.body.security_group_rule.id}`);
    expect((await sg('GET', `/os-security-groups/${parent.id}`)).body.security_group.rules).toEqual([]);
  });

  it('adds a group to a server, lists the server groups, refuses deleting it, and removes it', async () => {
    const g = (await sg('POST', '/os-security-groups', { security_group: { name: 'srv', description: '' } }))
      .body.security_group;
    const act = (body: unknown) => compute('POST', `/servers/${serverId}/action`, body);
    expect((await act({ addSecurityGroup: { name: 'srv' } })).status).toBe(202);
    const listed = await compute('GET', `/servers/${serverId}/os-security-groups`);
    expect(listed.body.security_groups.map((x: any) => x.name)).toEqual(['default', 'srv']);
    expect((await sg('DELETE', `/os-security-groups/${g.id}`)).status).toBe(400);
    expect((await act({ addSecurityGroup: { name: 'nope' } })).status).toBe(404);
    expect((await act({ addSecurityGroup: { name: ' ' } })).body.badRequest.message).toBe(
      'Security group name cannot be empty',
    );
    expect((await act({ addSecurityGroup: {} })).body.badRequest.message).toBe(
      'Security group not specified',
    );
    expect((await act({ removeSecurityGroup: { name: 'srv' } })).status).toBe(202);
    const again = await act({ removeSecurityGroup: { name: 'srv' } });
    expect(again.body.itemNotFound.message).toBe(
      `Security group srv not associated with the instance ${serverId}`,
    );
  });

  it('allocates, shows, lists, associates, disassociates and releases floating IPs', async () => {
    const pools = await compute('GET', '/os-floating-ip-pools', undefined, V235);
    expect(pools.body).toEqual({ floating_ip_pools: [{ name: 'public' }] });
    expect((await compute('POST', '/os-floating-ips', { pool: 'nowhere' }, V235)).status).toBe(404);
    const made = await compute('POST', '/os-floating-ips', { pool: 'public' }, V235);
    expect(made.status).toBe(200);
    const fip = made.body.floating_ip;
    expect(fip).toEqual({
      id: expect.any(String),
      ip: expect.stringMatching(/^172\.24\.4\./),
      pool: 'public',
      fixed_ip: null,
      instance_id: null,
    });
    expect((await compute('GET', `/os-floating-ips/${fip.id}`, undefined, V235)).body.floating_ip).toEqual(
      fip,
    );
    expect((await compute('GET', '/os-floating-ips', undefined, V235)).body.floating_ips).toEqual([fip]);
    const act = (body: unknown, h = V243) => compute('POST', `/servers/${serverId}/action`, body, h);
    expect((await act({ addFloatingIp: { address: '0.0.0.0' } })).status).toBe(404);
    expect((await act({ addFloatingIp: { address: '' } })).status).toBe(400);
    expect((await act({ addFloatingIp: { address: fip.ip } }, V244)).status).toBe(404);
    expect((await act({ addFloatingIp: { address: fip.ip } })).status).toBe(202);
    const shown = (await compute('GET', `/os-floating-ips/${fip.id}`, undefined, V235)).body.floating_ip;
    expect(shown).toMatchObject({ instance_id: serverId, fixed_ip: expect.stringMatching(/^10\.0\.0\./) });
    expect((await act({ removeFloatingIp: { address: '0.0.0.0' } })).status).toBe(404);
    expect((await act({ removeFloatingIp: { address: fip.ip } })).status).toBe(202);
    expect((await act({ removeFloatingIp: { address: fip.ip } })).status).toBe(409);
    expect((await compute('DELETE', `/os-floating-ips/${fip.id}`, undefined, V235)).status).toBe(202);
    expect((await compute('GET', `/os-floating-ips/${fip.id}`, undefined, V235)).status).toBe(404);
    expect((await compute('GET', '/os-floating-ips', undefined, V236)).status).toBe(404);
  });

  it('lists and shows networks and tenant networks; nova-network writes are gone', async () => {
    const nets = await compute('GET', '/os-networks', undefined, V235);
    const priv = nets.body.networks.find((n: any) => n.id === env.networkId);
    expect(priv).toMatchObject({ id: env.networkId, label: 'private', cidr: null, project_id: null });
    const one = await compute('GET', `/os-networks/${env.networkId}`, undefined, V235);
    expect(one.body.network).toEqual(priv);
    expect((await compute('GET', '/os-networks/nope', undefined, V235)).status).toBe(404);
    expect((await compute('POST', '/os-networks', { network: {} }, V235)).status).toBe(410);
    const tenant = await compute('GET', `/os-tenant-networks/${env.networkId}`, undefined, V235);
    expect(tenant.body).toEqual({ network: { id: env.networkId, cidr: 'None', label: 'private' } });
    const all = await compute('GET', '/os-tenant-networks', undefined, V235);
    expect(all.body.networks).toContainEqual(tenant.body.network);
    expect((await compute('GET', '/os-tenant-networks', undefined, V236)).status).toBe(404);
  });
});
