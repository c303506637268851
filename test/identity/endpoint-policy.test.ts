import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// OS-ENDPOINT-POLICY through HTTP: associations with an endpoint, a service in a region (and its
// child regions) and a service, and which one decides an endpoint's policy.
describe('OS-ENDPOINT-POLICY', () => {
  let cloud: TestCloud;
  let system: string;

  const call = async (method: string, path: string, body?: unknown, token = system) => {
    const r = await fetch(`${cloud.url('identity')}/v3${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  const create = async (path: string, key: string, body: Record<string, unknown>) => {
    const r = await call('POST', path, { [key]: body });
    expect(r.status).toBe(201);
    return r.body[key].id as string;
  };

  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
    const password = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
      .password;
    const r = await fetch(`${cloud.url('identity')}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'admin', domain: { id: 'default' }, password } },
          },
          scope: { system: { all: true } },
        },
      }),
    });
    system = r.headers.get('x-subject-token')!;
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('resolves an endpoint to its own, its region, its parent region or its service policy', async () => {
    const service = await create('/services', 'service', { type: 'ep-policy-test' });
    await create('/regions', 'region', { id: 'parent-r' });
    await create('/regions', 'region', { id: 'child-r', parent_region_id: 'parent-r' });
    const endpoint = await create('/endpoints', 'endpoint', {
      service_id: service,
      interface: 'public',
      url: 'http://x.test/',
      region_id: 'child-r',
    });
    const other = await create('/endpoints', 'endpoint', {
      service_id: service,
      interface: 'admin',
      url: 'http://y.test/',
    });
    const [p1, p2, p3] = await Promise.all(
      ['a', 'b', 'c'].map((blob) => create('/policies', 'policy', { blob, type: 'application/json' })),
    );
    const policyOf = async (id: string) => call('GET', `/endpoints/${id}/OS-ENDPOINT-POLICY/policy`);

    expect((await policyOf(endpoint)).status).toBe(404);
    expect((await call('PUT', `/policies/${p3}/OS-ENDPOINT-POLICY/services/${service}`)).status).toBe(204);
    expect((await policyOf(endpoint)).body.policy.id).toBe(p3);
    expect(
      (await call('PUT', `/policies/${p2}/OS-ENDPOINT-POLICY/services/${service}/regions/parent-r`)).status,
    ).toBe(204);
    expect((await policyOf(endpoint)).body.policy.id).toBe(p2);
    expect((await policyOf(other)).body.policy.id).toBe(p3);
    expect((await call('PUT', `/policies/${p1}/OS-ENDPOINT-POLICY/endpoints/${endpoint}`)).status).toBe(204);
    expect((await policyOf(endpoint)).body.policy).toMatchObject({ id: p1, blob: 'a' });

    expect((await call('GET', `/policies/${p1}/OS-ENDPOINT-POLICY/endpoints/${endpoint}`)).status).toBe(204);
    expect((await call('HEAD', `/policies/${p2}/OS-ENDPOINT-POLICY/endpoints/${endpoint}`)).status).toBe(404);
    const listed = await call('GET', `/policies/${p2}/OS-ENDPOINT-POLICY/endpoints`);
    expect(listed.body.endpoints.map((e: { id: string }) => e.id)).toEqual([endpoint]);
    const all = await call('GET', `/policies/${p3}/OS-ENDPOINT-POLICY/endpoints`);
    expect(all.body.endpoints.map((e: { id: string }) => e.id).sort()).toEqual([endpoint, other].sort());

    // A new association of the same target replaces the policy; removal falls back again.
    expect((await call('PUT', `/policies/${p3}/OS-ENDPOINT-POLICY/endpoints/${endpoint}`)).status).toBe(204);
    expect((await call('GET', `/policies/${p1}/OS-ENDPOINT-POLICY/endpoints/${endpoint}`)).status).toBe(404);
    expect((await call('DELETE', `/policies/${p3}/OS-ENDPOINT-POLICY/endpoints/${endpoint}`)).status).toBe(
      204,
    );
    expect((await policyOf(endpoint)).body.policy.id).toBe(p2);
    // A deleted policy's associations no longer apply.
    expect((await call('DELETE', `/policies/${p2}`)).status).toBe(204);
    expect((await policyOf(endpoint)).body.policy.id).toBe(p3);
  });

  it('answers 404 for unknown policies, endpoints, services and regions', async () => {
    const service = await create('/services', 'service', { type: 'ep-policy-404' });
    const policy = await create('/policies', 'policy', { blob: '{}', type: 'application/json' });
    expect((await call('PUT', `/policies/nope/OS-ENDPOINT-POLICY/services/${service}`)).status).toBe(404);
    expect((await call('PUT', `/policies/${policy}/OS-ENDPOINT-POLICY/endpoints/nope`)).status).toBe(404);
    expect((await call('PUT', `/policies/${policy}/OS-ENDPOINT-POLICY/services/nope`)).status).toBe(404);
    expect(
      (await call('PUT', `/policies/${policy}/OS-ENDPOINT-POLICY/services/${service}/regions/nope`)).status,
    ).toBe(404);
    expect((await call('GET', '/policies/nope/OS-ENDPOINT-POLICY/endpoints')).status).toBe(404);
  });
});
