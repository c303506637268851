import { identityService } from '@nimbus/identity';
import { networkService } from '@nimbus/network';
import { adminToken, jsonCaller, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by Tempest's compute proxy tests (test_security_group_rules_delete_when_peer_group_deleted):
// deleting a security group that another group's rule named as remote group answered 409
// SecurityGroupInUse. Neutron deletes those rules with the group (its foreign key cascades); only
// a port using the group keeps it.
describe('deleting a security group other rules name as remote group', () => {
  let cloud: TestCloud;
  let call: ReturnType<typeof jsonCaller>;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService, networkService], {
      identity: { password_hash_rounds: 4 },
    });
    call = jsonCaller(`${cloud.url('network')}/v2.0`, (await adminToken(cloud)).token);
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('deletes the group and the rules that named it', async () => {
    const a = (await call('POST', '/security-groups', { security_group: { name: 'a' } })).body.security_group;
    const b = (await call('POST', '/security-groups', { security_group: { name: 'b' } })).body.security_group;
    const rule = await call('POST', '/security-group-rules', {
      security_group_rule: { security_group_id: a.id, direction: 'ingress', remote_group_id: b.id },
    });
    expect(rule.status).toBe(201);
    expect((await call('DELETE', `/security-groups/${b.id}`)).status).toBe(204);
    expect((await call('GET', `/security-group-rules/${rule.body.security_group_rule.id}`)).status).toBe(404);
    const left = (await call('GET', `/security-groups/${a.id}`)).body.security_group.security_group_rules;
    expect(left.map((r: { direction: string }) => r.direction)).toEqual(['egress', 'egress']);
  });
});
