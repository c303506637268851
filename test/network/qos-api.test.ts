import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// QoS: policies with their rules inline, one rule per kind and direction, the alias API, rule
// types, policies on networks and ports, the project's default policy, deletion while in use.
describe('network API: QoS', () => {
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

  const policy = async (body: Record<string, unknown>) => {
    const r = await admin('POST', '/v2.0/qos/policies', { policy: { name: 'p', ...body } });
    expect(r.status).toBe(201);
    return r.body.policy;
  };

  it('keeps rules per kind and direction and shows them in the policy', async () => {
    const p = await policy({ description: 'd' });
    expect(p).toMatchObject({ name: 'p', description: 'd', shared: false, is_default: false, rules: [] });
    const base = `/v2.0/qos/policies/${p.id}/bandwidth_limit_rules`;
    const r1 = await admin('POST', base, { bandwidth_limit_rule: { max_kbps: 200, max_burst_kbps: 1337 } });
    expect(r1.status).toBe(201);
    expect(r1.body.bandwidth_limit_rule).toMatchObject({
      max_kbps: 200,
      max_burst_kbps: 1337,
      direction: 'egress',
    });
    expect((await admin('POST', base, { bandwidth_limit_rule: { max_kbps: 1 } })).status).toBe(409);
    const r2 = await admin('POST', base, { bandwidth_limit_rule: { max_kbps: 300, direction: 'ingress' } });
    expect(r2.body.bandwidth_limit_rule.max_burst_kbps).toBe(0);
    const shown = (await admin('GET', `/v2.0/qos/policies/${p.id}`)).body.policy;
    expect(shown.rules.map((r: any) => r.type)).toEqual(['bandwidth_limit', 'bandwidth_limit']);
    expect(shown.rules[0].qos_policy_id).toBe(p.id);
    expect(shown.revision_number).toBe(2);
    const dscp = `/v2.0/qos/policies/${p.id}/dscp_marking_rules`;
    expect((await admin('POST', dscp, { dscp_marking_rule: { dscp_mark: 7 } })).status).toBe(400);
    const d = (await admin('POST', dscp, { dscp_marking_rule: { dscp_mark: 16 } })).body.dscp_marking_rule;
    expect(d).toEqual({ id: d.id, dscp_mark: 16 });
    const min = `/v2.0/qos/policies/${p.id}/minimum_bandwidth_rules`;
    expect((await admin('POST', min, { minimum_bandwidth_rule: {} })).status).toBe(400);
    const tooHigh = await admin('POST', min, { minimum_bandwidth_rule: { min_kbps: 500 } });
    expect(tooHigh.status).toBe(409);
    expect(tooHigh.body.NeutronError.type).toBe('QoSRuleParameterConflict');
    const alias = `/v2.0/qos/alias_bandwidth_limit_rules/${r1.body.bandwidth_limit_rule.id}`;
    expect(
      (await admin('PUT', alias, { bandwidth_limit_rule: { max_kbps: 250 } })).body.bandwidth_limit_rule
        .max_kbps,
    ).toBe(250);
    expect((await admin('GET', alias)).body.bandwidth_limit_rule.max_kbps).toBe(250);
    expect((await admin('DELETE', alias)).status).toBe(204);
    expect((await admin('GET', alias)).status).toBe(404);
    expect((await admin('GET', `${base}/${r2.body.bandwidth_limit_rule.id}`)).status).toBe(200);
    expect(
      (await admin('GET', `/v2.0/qos/policies/00000000-0000-4000-8000-000000000000/bandwidth_limit_rules`))
        .status,
    ).toBe(404);
  });

  it('lists rule types to everyone and details to admins', async () => {
    const types = (await member('GET', '/v2.0/qos/rule-types')).body.rule_types;
    expect(types.map((t: any) => t.type)).toContain('minimum_packet_rate');
    expect((await member('GET', '/v2.0/qos/rule-types/bandwidth_limit')).status).toBe(403);
    const details = (await admin('GET', '/v2.0/qos/rule-types/bandwidth_limit')).body.rule_type;
    expect(Object.keys(details).sort()).toEqual(['drivers', 'type']);
  });

  it('is admin-managed and shared policies are visible to members', async () => {
    expect((await member('POST', '/v2.0/qos/policies', { policy: { name: 'x' } })).status).toBe(403);
    const priv = await policy({});
    expect((await member('GET', `/v2.0/qos/policies/${priv.id}`)).status).toBe(404);
    const shared = await policy({ shared: true });
    expect((await member('GET', `/v2.0/qos/policies/${shared.id}`)).body.policy.id).toBe(shared.id);
    expect((await member('PUT', `/v2.0/qos/policies/${shared.id}`, { policy: { name: 'y' } })).status).toBe(
      403,
    );
  });

  it('attaches policies to networks and ports, defaults, and refuses deleting one in use', async () => {
    const def = await policy({ project_id: memberProject, is_default: true });
    const again = await admin('POST', '/v2.0/qos/policies', {
      policy: { name: 'd2', project_id: memberProject, is_default: true },
    });
    expect(again.status).toBe(409);
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'q' } })).body.network;
    expect(net.qos_policy_id).toBe(def.id);
    const priv = await policy({});
    const refused = await member('POST', '/v2.0/networks', {
      network: { name: 'q2', qos_policy_id: priv.id },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.NeutronError.type).toBe('QosPolicyNotFound');
    const shared = await policy({ shared: true });
    const port = (
      await member('POST', '/v2.0/ports', { port: { network_id: net.id, qos_policy_id: shared.id } })
    ).body.port;
    expect(port).toMatchObject({ qos_policy_id: shared.id, qos_network_policy_id: def.id });
    const inUse = await admin('DELETE', `/v2.0/qos/policies/${shared.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.NeutronError.type).toBe('QosPolicyInUse');
    await admin('PUT', `/v2.0/networks/${net.id}`, { network: { qos_policy_id: priv.id } });
    const detach = await member('PUT', `/v2.0/networks/${net.id}`, { network: { qos_policy_id: null } });
    expect(detach.status).toBe(403);
    await member('PUT', `/v2.0/ports/${port.id}`, { port: { qos_policy_id: null } });
    expect((await admin('DELETE', `/v2.0/qos/policies/${shared.id}`)).status).toBe(204);
  });
});
