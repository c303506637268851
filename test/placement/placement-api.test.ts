import { randomUUID } from 'node:crypto';
import { placementService } from '@nimbus/placement';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placementCall } from './placement-client';

// Bad input: each answers Placement's status and error code, writes nothing, crashes nothing.
describe('placement API: bad input', () => {
  let cloud: TestCloud;
  let base: string;
  const rp = randomUUID();
  const child = randomUUID();
  const grandchild = randomUUID();
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    placementCall(base, method, path, body, headers);
  const state = async () => ({
    providers: (await call('GET', '/resource_providers')).body,
    inventories: (await call('GET', `/resource_providers/${rp}/inventories`)).body,
    classes: (await call('GET', '/resource_classes')).body,
    traits: (await call('GET', '/traits?name=startswith:CUSTOM_')).body,
  });
  const refused = async (
    status: number,
    answer: Promise<{ status: number; body: any }>,
    code = 'placement.undefined_code',
  ) => {
    const before = await state();
    const r = await answer;
    expect(r.status).toBe(status);
    expect(r.body.errors[0]).toMatchObject({ status, code });
    expect(r.body.errors[0].request_id).toMatch(/^req-/);
    expect(await state()).toEqual(before);
    return r;
  };

  beforeAll(async () => {
    cloud = await startTestCloud([placementService], { api: { auth_strategy: 'noauth2' } });
    base = cloud.url('placement');
    expect((await call('POST', '/resource_providers', { name: 'cn', uuid: rp })).status).toBe(200);
    expect(
      (await call('POST', '/resource_providers', { name: 'numa', uuid: child, parent_provider_uuid: rp }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('POST', '/resource_providers', {
          name: 'pf',
          uuid: grandchild,
          parent_provider_uuid: child,
        })
      ).status,
    ).toBe(200);
    const inv = await call('PUT', `/resource_providers/${rp}/inventories`, {
      resource_provider_generation: 0,
      inventories: { VCPU: { total: 8 } },
    });
    expect(inv.status).toBe(200);
    const alloc = await call('PUT', `/allocations/${randomUUID()}`, {
      allocations: { [rp]: { resources: { VCPU: 2 } } },
      project_id: 'p',
      user_id: 'u',
      consumer_generation: null,
      consumer_type: 'INSTANCE',
    });
    expect(alloc.status).toBe(204);
  });
  afterAll(async () => cloud?.stop());

  it('refuses malformed JSON', async () => {
    const r = await refused(400, call('POST', '/resource_providers', '{"name": '));
    expect(r.body.errors[0].detail).toContain('Malformed JSON');
  });

  it('refuses unknown fields', async () => {
    const r = await refused(400, call('POST', '/resource_providers', { name: 'x', colour: 'blue' }));
    expect(r.body.errors[0].detail).toContain(
      "Additional properties are not allowed ('colour' was unexpected)",
    );
  });

  it('refuses bad UUIDs', async () => {
    await refused(400, call('POST', '/resource_providers', { name: 'x', uuid: 'not-a-uuid' }));
    await refused(
      400,
      call('PUT', '/allocations/not-a-uuid', {
        allocations: {},
        project_id: 'p',
        user_id: 'u',
        consumer_generation: null,
        consumer_type: 'X',
      }),
    );
    await refused(400, call('GET', '/resource_providers?in_tree=nope'));
  });

  it('refuses zero and negative totals, and min_unit above max_unit', async () => {
    for (const total of [0, -1]) {
      await refused(
        400,
        call('PUT', `/resource_providers/${rp}/inventories`, {
          resource_provider_generation: 2,
          inventories: { VCPU: { total } },
        }),
      );
    }
    const r = await refused(
      400,
      call('PUT', `/resource_providers/${rp}/inventories`, {
        resource_provider_generation: 2,
        inventories: { VCPU: { total: 8, min_unit: 4, max_unit: 2 } },
      }),
    );
    expect(r.body.errors[0].detail).toContain('min_unit');
  });

  it('refuses unknown resource classes and traits', async () => {
    await refused(
      400,
      call('PUT', `/resource_providers/${rp}/inventories`, {
        resource_provider_generation: 2,
        inventories: { CUSTOM_NOPE: { total: 1 } },
      }),
    );
    await refused(400, call('GET', '/allocation_candidates?resources=CUSTOM_NOPE:1'));
    await refused(
      400,
      call('PUT', `/resource_providers/${rp}/traits`, {
        resource_provider_generation: 2,
        traits: ['CUSTOM_NOPE'],
      }),
    );
    await refused(400, call('GET', '/resource_providers?required=CUSTOM_NOPE'));
  });

  it('refuses lowercase custom names', async () => {
    await refused(400, call('POST', '/resource_classes', { name: 'CUSTOM_lower' }));
    await refused(400, call('PUT', '/traits/CUSTOM_lower'));
  });

  it('answers a 50,000-character query string without crashing', async () => {
    const r = await fetch(`${base}/resource_providers?name=${'a'.repeat(50_000)}`, {
      headers: { 'x-auth-token': 'admin' },
    });
    // Node's HTTP parser refuses request heads over 16 KiB before any handler runs.
    expect([400, 414, 431]).toContain(r.status);
    expect((await call('GET', '/')).status).toBe(200);
  });

  it('refuses a cycle in re-parenting', async () => {
    const r = await refused(
      400,
      call('PUT', `/resource_providers/${rp}`, { name: 'cn', parent_provider_uuid: grandchild }),
    );
    expect(r.body.errors[0].detail).toContain('creating loop in the provider tree is not allowed');
  });

  it('refuses deleting a provider that has children or allocations', async () => {
    await refused(
      409,
      call('DELETE', `/resource_providers/${child}`),
      'placement.resource_provider.cannot_delete_parent',
    );
    await refused(
      409,
      call('DELETE', `/resource_providers/${rp}`),
      'placement.resource_provider.cannot_delete_parent',
    );
    const lone = randomUUID();
    await call('POST', '/resource_providers', { name: 'lone', uuid: lone });
    await call('PUT', `/resource_providers/${lone}/inventories`, {
      resource_provider_generation: 0,
      inventories: { DISK_GB: { total: 10 } },
    });
    await call('PUT', `/allocations/${randomUUID()}`, {
      allocations: { [lone]: { resources: { DISK_GB: 1 } } },
      project_id: 'p',
      user_id: 'u',
      consumer_generation: null,
      consumer_type: 'INSTANCE',
    });
    await refused(409, call('DELETE', `/resource_providers/${lone}`), 'placement.resource_provider.inuse');
  });

  it('refuses stale generations with placement.concurrent_update', async () => {
    await refused(
      409,
      call('PUT', `/resource_providers/${rp}/inventories`, {
        resource_provider_generation: 0,
        inventories: { VCPU: { total: 8 } },
      }),
      'placement.concurrent_update',
    );
  });

  it('refuses removing inventory in use with placement.inventory.inuse', async () => {
    await refused(
      409,
      call('PUT', `/resource_providers/${rp}/inventories`, {
        resource_provider_generation: 2,
        inventories: {},
      }),
      'placement.inventory.inuse',
    );
  });
});
