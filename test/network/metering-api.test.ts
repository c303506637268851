import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Metering labels and rules (`metering`): admin only, prefixes validated, overlapping remote
// prefixes refused, a label's rules deleted with it.
describe('network API: metering', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates, shows, filters and deletes labels and rules', async () => {
    const label = await admin('POST', '/v2.0/metering/metering-labels', {
      metering_label: { name: 'm1', description: 'counted' },
    });
    expect(label.status).toBe(201);
    const l = label.body.metering_label;
    expect(l).toMatchObject({ name: 'm1', description: 'counted', shared: false });
    expect(l.tenant_id).toBe(l.project_id);
    expect(l.revision_number).toBeUndefined();
    const rule = await admin('POST', '/v2.0/metering/metering-label-rules', {
      metering_label_rule: { metering_label_id: l.id, direction: 'ingress', remote_ip_prefix: '10.0.0.0/24' },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.metering_label_rule).toMatchObject({
      metering_label_id: l.id,
      direction: 'ingress',
      excluded: false,
      remote_ip_prefix: '10.0.0.0/24',
      source_ip_prefix: null,
    });
    const r = rule.body.metering_label_rule;
    expect(
      (await admin('GET', `/v2.0/metering/metering-label-rules?id=${r.id}`)).body.metering_label_rules,
    ).toHaveLength(1);
    expect(
      (await admin('GET', '/v2.0/metering/metering-label-rules?id=33')).body.metering_label_rules,
    ).toEqual([]);
    expect((await admin('GET', '/v2.0/metering/metering-labels?id=33')).body.metering_labels).toEqual([]);
    expect((await admin('GET', `/v2.0/metering/metering-labels/${l.id}`)).body.metering_label.name).toBe(
      'm1',
    );
    expect((await admin('DELETE', `/v2.0/metering/metering-labels/${l.id}`)).status).toBe(204);
    const gone = await admin('GET', `/v2.0/metering/metering-label-rules/${r.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.NeutronError.type).toBe('MeteringLabelRuleNotFound');
  });

  it('refuses bad and overlapping rules', async () => {
    const l = (await admin('POST', '/v2.0/metering/metering-labels', { metering_label: { name: 'm2' } })).body
      .metering_label;
    const post = (rule: Record<string, unknown>) =>
      admin('POST', '/v2.0/metering/metering-label-rules', {
        metering_label_rule: { metering_label_id: l.id, direction: 'egress', ...rule },
      });
    expect((await post({})).status).toBe(400);
    expect((await post({ remote_ip_prefix: '10.1.0.0/16', source_ip_prefix: '10.2.0.0/16' })).status).toBe(
      400,
    );
    expect((await post({ remote_ip_prefix: '10.1.0.0/16', direction: 'sideways' })).status).toBe(400);
    expect((await post({ remote_ip_prefix: '10.1.0.0/16' })).status).toBe(201);
    const overlap = await post({ remote_ip_prefix: '10.1.2.0/24' });
    expect(overlap.status).toBe(409);
    expect(overlap.body.NeutronError.type).toBe('MeteringLabelRuleOverlaps');
    expect((await post({ remote_ip_prefix: '10.1.2.0/24', excluded: true })).status).toBe(201);
    expect(
      (await post({ source_ip_prefix: '10.9.0.0/16', destination_ip_prefix: '10.8.0.0/16' })).status,
    ).toBe(201);
    const missing = await admin('POST', '/v2.0/metering/metering-label-rules', {
      metering_label_rule: {
        metering_label_id: '00000000-0000-4000-8000-000000000000',
        direction: 'egress',
        remote_ip_prefix: '10.1.0.0/16',
      },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError.type).toBe('MeteringLabelNotFound');
  });

  it('is admin only', async () => {
    const create = await member('POST', '/v2.0/metering/metering-labels', { metering_label: { name: 'x' } });
    expect(create.status).toBe(403);
    expect((await member('GET', '/v2.0/metering/metering-labels')).body.metering_labels).toEqual([]);
    const ext = await member('GET', '/v2.0/extensions/metering');
    expect(ext.status).toBe(200);
  });
});
