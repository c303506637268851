import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtTestServer, startExtTestServer } from './testing/ext-test-server';

describe('unified limits and legacy policies API', () => {
  let s: ExtTestServer;
  let system: string;
  let member: string;
  beforeAll(async () => {
    s = await startExtTestServer();
    for (const r of ['admin', 'member', 'reader']) s.core.addRole(r);
    s.core.implied.push({ prior: 'admin', implied: 'member' }, { prior: 'member', implied: 'reader' });
    s.core.addUser('root');
    s.core.addUser('alice');
    s.core.addProject('p1');
    s.core.addProject('p2');
    s.core.addProject('default', '<<keystone.domain.root>>', true);
    s.core.grant('alice', 'p1', 'member');
    s.core.services.add('svc');
    s.core.regions.add('RegionOne');
    system = s.tokenFor('root', { system: true });
    member = s.tokenFor('alice', { projectId: 'p1' });
  });
  afterAll(() => s.close());

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-auth-token': token },
      ...(payload ? { payload: payload as object } : {}),
    });

  it('creates registered limits in batches and refuses duplicates and unknown services', async () => {
    const res = await call('POST', '/v3/registered_limits', system, {
      registered_limits: [
        { service_id: 'svc', resource_name: 'cores', default_limit: 10 },
        {
          service_id: 'svc',
          region_id: 'RegionOne',
          resource_name: 'cores',
          default_limit: 5,
          description: 'r1',
        },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().registered_limits).toHaveLength(2);
    expect(res.json().links).toBeUndefined();
    expect(
      (
        await call('POST', '/v3/registered_limits', system, {
          registered_limits: [{ service_id: 'svc', resource_name: 'cores', default_limit: 1 }],
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await call('POST', '/v3/registered_limits', system, {
          registered_limits: [{ service_id: 'nope', resource_name: 'x', default_limit: 1 }],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', '/v3/registered_limits', member, {
          registered_limits: [{ service_id: 'svc', resource_name: 'y', default_limit: 1 }],
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await call('GET', '/v3/registered_limits?region_id=RegionOne', member)).json().registered_limits,
    ).toHaveLength(1);
  });

  it('creates project limits against a registered limit and scopes what projects see', async () => {
    expect(
      (
        await call('POST', '/v3/limits', system, {
          limits: [{ project_id: 'p1', service_id: 'svc', resource_name: 'ram', resource_limit: 1 }],
        })
      ).statusCode,
    ).toBe(403);
    const res = await call('POST', '/v3/limits', system, {
      limits: [
        { project_id: 'p1', service_id: 'svc', resource_name: 'cores', resource_limit: 3 },
        { project_id: 'p2', service_id: 'svc', resource_name: 'cores', resource_limit: 4 },
      ],
    });
    expect(res.statusCode).toBe(201);
    const [l1] = res.json().limits;
    expect(l1).toMatchObject({
      project_id: 'p1',
      domain_id: null,
      service_id: 'svc',
      region_id: null,
      resource_name: 'cores',
      resource_limit: 3,
    });
    expect(
      (
        await call('POST', '/v3/limits', system, {
          limits: [{ project_id: 'p1', service_id: 'svc', resource_name: 'cores', resource_limit: 9 }],
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await call('GET', '/v3/limits', member))
        .json()
        .limits.map((l: { project_id: string }) => l.project_id),
    ).toEqual(['p1']);
    expect((await call('GET', '/v3/limits', system)).json().limits).toHaveLength(2);
    expect((await call('GET', `/v3/limits/${l1.id}`, member)).statusCode).toBe(200);
    expect(
      (await call('PATCH', `/v3/limits/${l1.id}`, system, { limit: { resource_limit: 7 } })).json().limit
        .resource_limit,
    ).toBe(7);
    const reg = (await call('GET', '/v3/registered_limits?resource_name=cores', system))
      .json()
      .registered_limits.find((r: { region_id: string | null }) => r.region_id === null);
    expect((await call('DELETE', `/v3/registered_limits/${reg.id}`, system)).statusCode).toBe(403);
    expect((await call('GET', '/v3/limits/model', member)).json()).toEqual({
      model: {
        name: 'flat',
        description: 'Limit enforcement and validation does not take project hierarchy into consideration.',
      },
    });
  });

  it('stores legacy policy blobs', async () => {
    const p = (
      await call('POST', '/v3/policies', system, { policy: { blob: 'b', type: 't', extra: 'e' } })
    ).json().policy;
    expect(p).toMatchObject({ blob: 'b', type: 't', extra: 'e' });
    expect(
      (await call('PATCH', `/v3/policies/${p.id}`, system, { policy: { type: 't2' } })).json().policy,
    ).toMatchObject({ type: 't2', blob: 'b' });
    expect((await call('GET', '/v3/policies', system)).json().policies).toHaveLength(1);
    expect((await call('GET', '/v3/policies', member)).statusCode).toBe(403);
    expect((await call('DELETE', `/v3/policies/${p.id}`, system)).statusCode).toBe(204);
    expect((await call('GET', `/v3/policies/${p.id}`, system)).statusCode).toBe(404);
  });
});
