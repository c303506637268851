import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Security groups and rules through HTTP: the default group made on first use, protocols,
// port ranges, prefixes, duplicates and groups in use.
describe('network API: security groups', () => {
  let cloud: TestCloud;
  let member: Caller;
  let memberProject: string;

  beforeAll(async () => {
    ({ cloud, member, memberProject } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('makes the default group with its four rules on first list', async () => {
    const list = await member('GET', '/v2.0/security-groups');
    expect(list.status).toBe(200);
    expect(list.body.security_groups).toHaveLength(1);
    const dflt = list.body.security_groups[0];
    expect(dflt).toMatchObject({
      name: 'default',
      description: 'Default security group',
      project_id: memberProject,
      stateful: true,
    });
    const rules = dflt.security_group_rules
      .map(
        (r: any) =>
          `${r.direction} ${r.ethertype} ${r.remote_group_id === dflt.id ? 'self' : r.remote_group_id}`,
      )
      .sort();
    expect(rules).toEqual(['egress IPv4 null', 'egress IPv6 null', 'ingress IPv4 self', 'ingress IPv6 self']);
    // Listing again does not make another.
    expect((await member('GET', '/v2.0/security-groups')).body.security_groups).toHaveLength(1);
    const del = await member('DELETE', `/v2.0/security-groups/${dflt.id}`);
    expect(del.status).toBe(409);
    expect(del.body.NeutronError.type).toBe('SecurityGroupCannotRemoveDefault');
  });

  it('creates rules by protocol name or number, normalises prefixes and refuses duplicates', async () => {
    const sg = (await member('POST', '/v2.0/security-groups', { security_group: { name: 'web' } })).body
      .security_group;
    expect(sg.security_group_rules).toHaveLength(2);
    const rule = (body: Record<string, unknown>) =>
      member('POST', '/v2.0/security-group-rules', {
        security_group_rule: { security_group_id: sg.id, direction: 'ingress', ...body },
      });
    const ssh = await rule({
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '10.0.0.7/24',
    });
    expect(ssh.status).toBe(201);
    expect(ssh.body.security_group_rule).toMatchObject({
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      ethertype: 'IPv4',
      remote_ip_prefix: '10.0.0.7/24',
      normalized_cidr: '10.0.0.0/24',
      remote_group_id: null,
      direction: 'ingress',
    });
    const dup = await rule({
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '10.0.0.0/24',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.NeutronError).toMatchObject({
      type: 'SecurityGroupRuleExists',
      message: `Security group rule already exists. Rule id is ${ssh.body.security_group_rule.id}.`,
    });
    expect(
      (await rule({ protocol: '17', port_range_min: 53, port_range_max: 53 })).body.security_group_rule
        .protocol,
    ).toBe('17');
    expect((await rule({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 })).status).toBe(201);
    expect((await rule({ protocol: 'bogus' })).body.NeutronError.type).toBe(
      'SecurityGroupRuleInvalidProtocol',
    );
    expect(
      (await rule({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 })).body.NeutronError.type,
    ).toBe('SecurityGroupInvalidPortRange');
    expect((await rule({ port_range_min: 80, port_range_max: 80 })).body.NeutronError.type).toBe(
      'SecurityGroupProtocolRequiredWithPorts',
    );
    expect((await rule({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' })).body.NeutronError.type).toBe(
      'SecurityGroupRuleParameterConflict',
    );
    expect(
      (await rule({ remote_group_id: sg.id, remote_ip_prefix: '10.0.0.0/8' })).body.NeutronError.type,
    ).toBe('SecurityGroupRemoteGroupAndRemoteIpPrefix');
    const shown = (await member('GET', `/v2.0/security-groups/${sg.id}`)).body.security_group;
    expect(shown.security_group_rules).toHaveLength(5);
    expect(shown.revision_number).toBe(3);
    const rules = (await member('GET', `/v2.0/security-group-rules?security_group_id=${sg.id}&protocol=tcp`))
      .body.security_group_rules;
    expect(rules.map((r: any) => r.id)).toEqual([ssh.body.security_group_rule.id]);
    expect(
      (await member('DELETE', `/v2.0/security-group-rules/${ssh.body.security_group_rule.id}`)).status,
    ).toBe(204);
  });

  it('refuses to delete a group a port uses', async () => {
    const sg = (await member('POST', '/v2.0/security-groups', { security_group: { name: 'used' } })).body
      .security_group;
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'sg-net' } })).body.network;
    const port = (
      await member('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [sg.id] } })
    ).body.port;
    expect(port.security_groups).toEqual([sg.id]);
    const del = await member('DELETE', `/v2.0/security-groups/${sg.id}`);
    expect(del.status).toBe(409);
    expect(del.body.NeutronError.type).toBe('SecurityGroupInUse');
    await member('PUT', `/v2.0/ports/${port.id}`, { port: { security_groups: [] } });
    expect((await member('DELETE', `/v2.0/security-groups/${sg.id}`)).status).toBe(204);
    expect((await member('GET', `/v2.0/security-groups/${sg.id}`)).body.NeutronError.type).toBe(
      'SecurityGroupNotFound',
    );
  });
});
