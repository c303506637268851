import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// RBAC policies through HTTP: sharing a network with one project, the wildcard as `shared`,
// refusing to withdraw a share ports rely on, and who may make which policy.
describe('network API: RBAC policies', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let memberProject: string;
  let adminProject: string;

  beforeAll(async () => {
    ({ cloud, admin, member, memberProject, adminProject } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('shares a network with one project and withdraws it once unused', async () => {
    const net = (await admin('POST', '/v2.0/networks', { network: { name: 'rbac' } })).body.network;
    await admin('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.70.0.0/24', ip_version: 4 },
    });
    expect((await member('GET', `/v2.0/networks/${net.id}`)).status).toBe(404);
    const r = await admin('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: memberProject,
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.rbac_policy).toEqual({
      id: expect.any(String),
      object_type: 'network',
      object_id: net.id,
      action: 'access_as_shared',
      target_tenant: memberProject,
      project_id: adminProject,
      tenant_id: adminProject,
    });
    const seen = await member('GET', `/v2.0/networks/${net.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.network.shared).toBe(true);
    expect((await admin('GET', `/v2.0/networks/${net.id}`)).body.network.shared).toBe(false);
    expect((await member('GET', '/v2.0/subnets')).body.subnets.map((s: any) => s.network_id)).toContain(
      net.id,
    );
    const dup = await admin('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: memberProject,
      },
    });
    expect(dup.status).toBe(409);
    const port = await member('POST', '/v2.0/ports', { port: { network_id: net.id } });
    expect(port.status).toBe(201);
    const busy = await admin('DELETE', `/v2.0/rbac-policies/${r.body.rbac_policy.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.NeutronError.type).toBe('RbacPolicyInUse');
    expect((await member('DELETE', `/v2.0/ports/${port.body.port.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v2.0/rbac-policies/${r.body.rbac_policy.id}`)).status).toBe(204);
    expect((await member('GET', `/v2.0/networks/${net.id}`)).status).toBe(404);
  });

  it('keeps the wildcard policy and the shared flag in step, and guards who makes policies', async () => {
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'mine' } })).body.network;
    const wild = await member('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: '*',
      },
    });
    expect(wild.status).toBe(403);
    const one = await member('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'network',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: adminProject,
      },
    });
    expect(one.status).toBe(201);
    const bad = await member('POST', '/v2.0/rbac-policies', {
      rbac_policy: {
        object_type: 'qos_policy',
        object_id: net.id,
        action: 'access_as_shared',
        target_tenant: 'x',
      },
    });
    expect(bad.status).toBe(400);
    const shared = (await admin('PUT', `/v2.0/networks/${net.id}`, { network: { shared: true } })).body
      .network;
    expect(shared.shared).toBe(true);
    const policies = (await admin('GET', `/v2.0/rbac-policies?object_id=${net.id}&target_tenant=*`)).body
      .rbac_policies;
    expect(policies).toHaveLength(1);
    expect((await admin('DELETE', `/v2.0/rbac-policies/${policies[0].id}`)).status).toBe(204);
    // The owner sees the stored flag; the admin's project, which a policy names, still sees it shared.
    expect((await member('GET', `/v2.0/networks/${net.id}`)).body.network.shared).toBe(false);
    expect((await admin('GET', `/v2.0/networks/${net.id}`)).body.network.shared).toBe(true);
    const ext = await admin('POST', '/v2.0/networks', { network: { name: 'ext', 'router:external': true } });
    const extPolicies = (await admin('GET', `/v2.0/rbac-policies?object_id=${ext.body.network.id}`)).body
      .rbac_policies;
    expect(extPolicies.map((p: any) => [p.action, p.target_tenant])).toEqual([['access_as_external', '*']]);
    expect((await member('GET', '/v2.0/rbac-policies')).body.rbac_policies.map((p: any) => p.id)).toEqual([
      one.body.rbac_policy.id,
    ]);
  });
});
