import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtTestServer, startExtTestServer } from './testing/ext-test-server';

describe('application credentials API', () => {
  let s: ExtTestServer;
  let alice: string;
  beforeAll(async () => {
    s = await startExtTestServer();
    for (const r of ['admin', 'member', 'reader', 'other']) s.core.addRole(r);
    s.core.implied.push({ prior: 'member', implied: 'reader' });
    s.core.addUser('alice');
    s.core.addUser('bob');
    s.core.addProject('p1');
    s.core.grant('alice', 'p1', 'member');
    alice = s.tokenFor('alice', { projectId: 'p1' });
  });
  afterAll(() => s.close());

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-auth-token': token },
      ...(payload ? { payload: payload as object } : {}),
    });
  const base = '/v3/users/alice/application_credentials';

  it('creates with a generated secret shown once, the token roles, and an expiry echoed as sent', async () => {
    const res = await call('POST', base, alice, {
      application_credential: { name: 'one', expires_at: '2099-01-02T03:04:05.120000' },
    });
    expect(res.statusCode).toBe(201);
    const ac = res.json().application_credential;
    expect(ac.secret.length).toBeGreaterThan(60);
    expect(ac.expires_at).toBe('2099-01-02T03:04:05.120000');
    expect(ac.project_id).toBe('p1');
    expect(ac.roles.map((r: { id: string }) => r.id).sort()).toEqual(['member', 'reader']);
    const shown = (await call('GET', `${base}/${ac.id}`, alice)).json().application_credential;
    expect(shown.secret).toBeUndefined();

    const auth = await s.managers.applicationCredentialAuth.authenticate({ id: ac.id, secret: ac.secret });
    expect(auth).toMatchObject({ userId: 'alice', projectId: 'p1', unrestricted: false });
    await expect(
      s.managers.applicationCredentialAuth.authenticate({ id: ac.id, secret: 'wrong' }),
    ).rejects.toMatchObject({ status: 401 });
    const byName = await s.managers.applicationCredentialAuth.authenticate({
      name: 'one',
      user: { id: 'alice' },
      secret: ac.secret,
    });
    expect(byName.id).toBe(ac.id);
  });

  it('refuses duplicate names, unheld roles, other users and past expiries', async () => {
    await call('POST', base, alice, { application_credential: { name: 'dup', secret: 'x' } });
    expect(
      (await call('POST', base, alice, { application_credential: { name: 'dup', secret: 'x' } })).statusCode,
    ).toBe(409);
    expect(
      (
        await call('POST', base, alice, {
          application_credential: { name: 'esc', roles: [{ name: 'admin' }] },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', '/v3/users/bob/application_credentials', alice, {
          application_credential: { name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call('POST', base, alice, {
          application_credential: { name: 'old', expires_at: '2000-01-01T00:00:00Z' },
        })
      ).statusCode,
    ).toBe(400);
    expect((await call('POST', base, alice, { application_credential: {} })).statusCode).toBe(400);
  });

  it('lists, filters by name, and keeps restricted credentials from making more', async () => {
    const listed = (await call('GET', `${base}?name=dup`, alice)).json().application_credentials;
    expect(listed).toHaveLength(1);
    const restricted = s.tokenFor('alice', {
      projectId: 'p1',
      appCred: { id: listed[0].id, restricted: true },
    });
    const res = await call('POST', base, restricted, { application_credential: { name: 'nested' } });
    expect(res.statusCode).toBe(403);
  });

  it('keeps access rules after the credential is gone and refuses deleting one in use', async () => {
    const rule = { path: '/v2.1/servers/*/ips', method: 'GET', service: 'compute' };
    const ac = (
      await call('POST', base, alice, { application_credential: { name: 'ar', access_rules: [rule] } })
    ).json().application_credential;
    const { id: ruleId, ...rest } = ac.access_rules[0];
    expect(rest).toEqual(rule);
    expect((await call('GET', '/v3/users/alice/access_rules', alice)).json().access_rules).toHaveLength(1);
    expect((await call('DELETE', `/v3/users/alice/access_rules/${ruleId}`, alice)).statusCode).toBe(403);
    expect((await call('DELETE', `${base}/${ac.id}`, alice)).statusCode).toBe(204);
    expect(s.core.revoked).toContainEqual({ applicationCredentialId: ac.id });
    expect((await call('GET', '/v3/users/alice/access_rules', alice)).json().access_rules).toHaveLength(1);
    expect((await call('DELETE', `/v3/users/alice/access_rules/${ruleId}`, alice)).statusCode).toBe(204);
    expect((await call('GET', '/v3/users/alice/access_rules', alice)).json().access_rules).toHaveLength(0);
  });

  it('drops roles the user lost, and deletes credentials when the user loses the project', async () => {
    const ac = (await call('POST', base, alice, { application_credential: { name: 'lose' } })).json()
      .application_credential;
    s.core.revokeGrant('alice', 'p1', 'member');
    expect((await s.managers.applicationCredentialAuth.identity(ac.id))?.roleIds).toEqual([]);
    s.core.grant('alice', 'p1', 'member');
    await s.managers.hooks.userLostProjectRole('alice', 'p1');
    expect(await s.managers.applicationCredentialAuth.identity(ac.id)).toBeUndefined();
  });
});
