import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Quotas through HTTP: defaults, per-project limits, details with usage, OverQuota, reset.
describe('network API: quotas', () => {
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

  it('limits a project, counts its use and refuses past the limit', async () => {
    const dflt = (await member('GET', `/v2.0/quotas/${memberProject}`)).body.quota;
    expect(dflt).toEqual({
      network: 100,
      subnet: 100,
      port: 500,
      router: 10,
      floatingip: 50,
      security_group: 10,
      security_group_rule: 100,
    });
    expect((await member('PUT', `/v2.0/quotas/${memberProject}`, { quota: { network: 1 } })).status).toBe(
      403,
    );
    const set = await admin('PUT', `/v2.0/quotas/${memberProject}`, { quota: { network: 1 } });
    expect(set.body.quota.network).toBe(1);
    expect((await admin('PUT', `/v2.0/quotas/${memberProject}`, { quota: { widgets: 1 } })).status).toBe(400);
    expect((await member('POST', '/v2.0/networks', { network: { name: 'q1' } })).status).toBe(201);
    const over = await member('POST', '/v2.0/networks', { network: { name: 'q2' } });
    expect(over.status).toBe(409);
    expect(over.body.NeutronError).toMatchObject({
      type: 'OverQuota',
      message: "Quota exceeded for resources: ['network'].",
    });
    const details = (await member('GET', `/v2.0/quotas/${memberProject}/details.json`)).body.quota;
    expect(details.network).toEqual({ limit: 1, used: 1, reserved: 0 });
    const below = await admin('PUT', `/v2.0/quotas/${memberProject}`, {
      quota: { network: 0, check_limit: true },
    });
    expect(below.status).toBe(400);
    const all = (await admin('GET', '/v2.0/quotas')).body.quotas;
    expect(all.map((q: any) => q.project_id)).toContain(memberProject);
    expect((await admin('DELETE', `/v2.0/quotas/${memberProject}`)).status).toBe(204);
    expect((await member('GET', `/v2.0/quotas/${memberProject}`)).body.quota.network).toBe(100);
    expect((await member('GET', '/v2.0/quotas/project')).body).toEqual({
      project: { project_id: memberProject },
    });
  });
});
