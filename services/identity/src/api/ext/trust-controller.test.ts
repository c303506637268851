import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtTestServer, startExtTestServer } from './testing/ext-test-server';

describe('trusts API', () => {
  let s: ExtTestServer;
  let trustor: string;
  let trustee: string;
  let stranger: string;
  beforeAll(async () => {
    s = await startExtTestServer();
    for (const r of ['admin', 'member', 'reader', 'delegated', 'kept']) s.core.addRole(r);
    for (const u of ['trustor', 'trustee', 'stranger']) s.core.addUser(u);
    s.core.addProject('p1');
    s.core.grant('trustor', 'p1', 'delegated');
    s.core.grant('trustor', 'p1', 'kept');
    s.core.grant('stranger', 'p1', 'member');
    trustor = s.tokenFor('trustor', { projectId: 'p1' });
    trustee = s.tokenFor('trustee', {});
    stranger = s.tokenFor('stranger', { projectId: 'p1' });
  });
  afterAll(() => s.close());

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-auth-token': token },
      ...(payload ? { payload: payload as object } : {}),
    });
  const body = (extra: Record<string, unknown> = {}) => ({
    trust: {
      trustor_user_id: 'trustor',
      trustee_user_id: 'trustee',
      project_id: 'p1',
      impersonation: true,
      roles: [{ name: 'delegated' }],
      ...extra,
    },
  });

  it('creates a trust with the delegated role only, visible to trustor and trustee alone', async () => {
    const res = await call(
      'POST',
      '/v3/OS-TRUST/trusts',
      trustor,
      body({ expires_at: '2099-02-17T17:34:01Z' }),
    );
    expect(res.statusCode).toBe(201);
    const t = res.json().trust;
    expect(t).toMatchObject({
      trustor_user_id: 'trustor',
      trustee_user_id: 'trustee',
      impersonation: true,
      expires_at: '2099-02-17T17:34:01.000000Z',
      redelegation_count: 0,
    });
    expect(t.roles.map((r: { name: string }) => r.name)).toEqual(['delegated']);
    expect(t.links.self).toContain('/v3/OS-TRUST/trusts/');
    expect((await call('GET', `/v3/OS-TRUST/trusts/${t.id}`, trustee)).statusCode).toBe(200);
    expect((await call('GET', `/v3/OS-TRUST/trusts/${t.id}`, stranger)).statusCode).toBe(403);
    expect((await call('GET', `/v3/OS-TRUST/trusts/${t.id}/roles/delegated`, trustor)).statusCode).toBe(200);
    expect((await call('HEAD', `/v3/OS-TRUST/trusts/${t.id}/roles/kept`, trustor)).statusCode).toBe(404);
    const listed = (await call('GET', '/v3/OS-TRUST/trusts?trustor_user_id=trustor', trustor)).json().trusts;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([t.id]);
    expect(listed[0].roles).toBeUndefined();
    expect((await call('GET', '/v3/OS-TRUST/trusts?trustor_user_id=trustor', stranger)).statusCode).toBe(403);

    expect((await call('DELETE', `/v3/OS-TRUST/trusts/${t.id}`, trustee)).statusCode).toBe(403);
    expect((await call('DELETE', `/v3/OS-TRUST/trusts/${t.id}`, trustor)).statusCode).toBe(204);
    expect(s.core.revoked).toContainEqual({ trustId: t.id });
    expect((await call('GET', `/v3/OS-TRUST/trusts/${t.id}`, trustor)).statusCode).toBe(404);
  });

  it('refuses bad expiries, escalation, and trusts made for someone else', async () => {
    expect(
      (await call('POST', '/v3/OS-TRUST/trusts', trustor, body({ expires_at: 'bad.123Z' }))).statusCode,
    ).toBe(400);
    expect(
      (await call('POST', '/v3/OS-TRUST/trusts', trustor, body({ roles: [{ name: 'admin' }] }))).statusCode,
    ).toBe(404);
    expect((await call('POST', '/v3/OS-TRUST/trusts', stranger, body())).statusCode).toBe(403);
    expect((await call('POST', '/v3/OS-TRUST/trusts', trustor, body({ roles: [] }))).statusCode).toBe(403);
  });

  it('spends remaining uses and honours only the trustee', async () => {
    const t = (await call('POST', '/v3/OS-TRUST/trusts', trustor, body({ remaining_uses: 1 }))).json().trust;
    await expect(s.managers.trustAuth.authorize(t.id, 'stranger')).rejects.toMatchObject({ status: 403 });
    const scope = await s.managers.trustAuth.authorize(t.id, 'trustee');
    expect(scope).toMatchObject({
      trustorUserId: 'trustor',
      projectId: 'p1',
      roleIds: ['delegated'],
      impersonation: true,
    });
    await expect(s.managers.trustAuth.authorize(t.id, 'trustee')).rejects.toMatchObject({ status: 404 });
    expect(await s.managers.trustAuth.scope(t.id)).toBeDefined();
    s.core.revokeGrant('trustor', 'p1', 'delegated');
    expect(await s.managers.trustAuth.scope(t.id)).toBeUndefined();
    s.core.grant('trustor', 'p1', 'delegated');
  });

  it('bounds redelegation depth and narrows redelegated trusts', async () => {
    expect(
      (
        await call(
          'POST',
          '/v3/OS-TRUST/trusts',
          trustor,
          body({ allow_redelegation: true, redelegation_count: 4 }),
        )
      ).statusCode,
    ).toBe(403);
    const parent = (
      await call(
        'POST',
        '/v3/OS-TRUST/trusts',
        trustor,
        body({ allow_redelegation: true, impersonation: false }),
      )
    ).json().trust;
    expect(parent.redelegation_count).toBe(3);
    s.core.grant('trustee', 'p1', 'delegated');
    const viaTrust = s.tokenFor('trustee', { projectId: 'p1', trustId: parent.id });
    const child = await call('POST', '/v3/OS-TRUST/trusts', viaTrust, {
      trust: {
        trustor_user_id: 'trustee',
        trustee_user_id: 'stranger',
        project_id: 'p1',
        impersonation: true,
        roles: [{ name: 'delegated' }],
      },
    });
    expect(child.statusCode).toBe(403);
    const ok = await call('POST', '/v3/OS-TRUST/trusts', viaTrust, {
      trust: {
        trustor_user_id: 'trustee',
        trustee_user_id: 'stranger',
        project_id: 'p1',
        impersonation: false,
        allow_redelegation: true,
        roles: [{ name: 'delegated' }],
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().trust).toMatchObject({ redelegated_trust_id: parent.id, redelegation_count: 2 });
    expect((await call('DELETE', `/v3/OS-TRUST/trusts/${parent.id}`, trustor)).statusCode).toBe(204);
    expect(s.core.revoked).toContainEqual({ trustId: ok.json().trust.id });
  });
});
