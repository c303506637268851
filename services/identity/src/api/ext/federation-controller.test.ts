import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtTestServer, startExtTestServer } from './testing/ext-test-server';

const mapping = {
  rules: [
    {
      local: [{ user: { name: '{0}' } }, { group_ids: '{1}' }],
      remote: [{ type: 'openstack_username' }, { type: 'group_ids', whitelist: ['abc', '123'] }],
    },
  ],
};

describe('OS-FEDERATION API', () => {
  let s: ExtTestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startExtTestServer();
    s.core.addRole('admin');
    s.core.addUser('root');
    s.core.addProject('p1');
    s.core.grant('root', 'p1', 'admin');
    admin = s.tokenFor('root', { projectId: 'p1' });
  });
  afterAll(() => s.close());

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-auth-token': token },
      ...(payload ? { payload: payload as object } : {}),
    });
  const F = '/v3/OS-FEDERATION';

  it('creates identity providers disabled, with a domain of their own and unique remote ids', async () => {
    const res = await call('PUT', `${F}/identity_providers/idp1`, admin, {
      identity_provider: { description: 'd', remote_ids: ['r1', 'r2'] },
    });
    expect(res.statusCode).toBe(201);
    const idp = res.json().identity_provider;
    expect(idp).toMatchObject({ id: 'idp1', enabled: false, description: 'd', remote_ids: ['r1', 'r2'] });
    expect(s.core.projects.get(idp.domain_id)?.isDomain).toBe(true);
    expect(
      (
        await call('PUT', `${F}/identity_providers/idp2`, admin, {
          identity_provider: { remote_ids: ['r2'] },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await call('PUT', `${F}/identity_providers/idp1`, admin, { identity_provider: {} })).statusCode,
    ).toBe(409);
    expect(
      (
        await call('PATCH', `${F}/identity_providers/idp1`, admin, { identity_provider: { enabled: true } })
      ).json().identity_provider.enabled,
    ).toBe(true);
    expect((await call('GET', `${F}/identity_providers`, admin)).json().identity_providers).toHaveLength(1);
  });

  it('validates mappings and binds protocols only to known ones', async () => {
    expect((await call('PUT', `${F}/mappings/m0`, admin, { mapping: {} })).statusCode).toBe(400);
    expect(
      (
        await call('PUT', `${F}/mappings/m0`, admin, {
          mapping: { rules: [{ local: [], remote: [{ type: 'x', bogus: 1 }] }] },
        })
      ).statusCode,
    ).toBe(400);
    const m = await call('PUT', `${F}/mappings/m1`, admin, { mapping });
    expect(m.statusCode).toBe(201);
    expect(m.json().mapping.rules).toEqual(mapping.rules);
    expect(
      (
        await call('PUT', `${F}/identity_providers/idp1/protocols/saml2`, admin, {
          protocol: { mapping_id: 'nope' },
        })
      ).statusCode,
    ).toBe(400);
    const p = await call('PUT', `${F}/identity_providers/idp1/protocols/saml2`, admin, {
      protocol: { mapping_id: 'm1' },
    });
    expect(p.statusCode).toBe(201);
    expect(p.json().protocol).toMatchObject({ id: 'saml2', mapping_id: 'm1' });
    expect(
      (
        await call('PATCH', `${F}/identity_providers/idp1/protocols/saml2`, admin, {
          protocol: { mapping_id: 'zzz' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await call('GET', `${F}/identity_providers/idp1/protocols`, admin)).json().protocols,
    ).toHaveLength(1);
    expect((await call('DELETE', `${F}/identity_providers/idp1/protocols/saml2`, admin)).statusCode).toBe(
      204,
    );
    expect((await call('GET', `${F}/identity_providers/idp1/protocols/saml2`, admin)).statusCode).toBe(404);
  });

  it('creates service providers with defaults, checks URLs, and lists enabled ones for tokens', async () => {
    expect(
      (await call('PUT', `${F}/service_providers/sp0`, admin, { service_provider: {} })).statusCode,
    ).toBe(400);
    expect(
      (
        await call('PUT', `${F}/service_providers/sp0`, admin, {
          service_provider: { auth_url: 'nourl', sp_url: 'https://x' },
        })
      ).statusCode,
    ).toBe(400);
    const sp = await call('PUT', `${F}/service_providers/sp1`, admin, {
      service_provider: { auth_url: 'https://a/v3', sp_url: 'https://s' },
    });
    expect(sp.json().service_provider).toMatchObject({ enabled: false, relay_state_prefix: 'ss:mem:' });
    await call('PUT', `${F}/service_providers/sp2`, admin, {
      service_provider: { auth_url: 'https://b/v3', sp_url: 'https://t', enabled: true },
    });
    expect(await s.managers.serviceProvidersForToken()).toEqual([
      { id: 'sp2', auth_url: 'https://b/v3', sp_url: 'https://t' },
    ]);
    expect(
      (await call('PATCH', `${F}/service_providers/sp2`, admin, { service_provider: { auth_url: 'bad' } }))
        .statusCode,
    ).toBe(400);
  });
});
