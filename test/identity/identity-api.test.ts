import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Identity through HTTP in the all-in-one cloud: errors, revocation and security rules.
describe('identity API', () => {
  let cloud: TestCloud;
  let base: string;
  let admin: string;

  const call = async (
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(opts.token ? { 'x-auth-token': opts.token } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined };
  };
  const password = (user: Record<string, unknown>, pw: string, scope?: unknown) => ({
    auth: {
      identity: { methods: ['password'], password: { user: { ...user, password: pw } } },
      ...(scope ? { scope } : {}),
    },
  });
  const login = async (user: Record<string, unknown>, pw: string, scope?: unknown) =>
    call('POST', '/v3/auth/tokens', { body: password(user, pw, scope) });

  beforeAll(async () => {
    cloud = await startTestCloud([identityService], {
      identity: { password_hash_rounds: 4 },
      security_compliance: {
        lockout_failure_attempts: 2,
        lockout_duration: 2,
        unique_last_password_count: 2,
      },
    });
    base = cloud.url('identity');
    const clouds = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8'));
    const r = await login(
      { name: 'admin', domain: { name: 'Default' } },
      clouds.clouds.nimbus.auth.password,
      { project: { name: 'admin', domain: { name: 'Default' } } },
    );
    expect(r.status).toBe(201);
    admin = r.headers.get('x-subject-token')!;
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers version discovery at / and /v3', async () => {
    const root = await call('GET', '/');
    expect(root.status).toBe(300);
    expect(root.body.versions.values[0]).toMatchObject({ id: 'v3.14', status: 'stable' });
    expect((await call('GET', '/v3')).body.version.links[0].href).toBe(`${base}/v3/`);
  });

  it('gives a wrong password, an unknown user and a disabled user the same 401', async () => {
    const user = (
      await call('POST', '/v3/users', {
        token: admin,
        body: { user: { name: 'u-401', password: 'Right-pass1' } },
      })
    ).body.user;
    const wrong = await login({ id: user.id }, 'Wrong-pass1');
    const unknown = await login({ name: 'nobody', domain: { id: 'default' } }, 'Wrong-pass1');
    await call('PATCH', `/v3/users/${user.id}`, { token: admin, body: { user: { enabled: false } } });
    const disabled = await login({ id: user.id }, 'Right-pass1');
    for (const r of [wrong, unknown, disabled]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      });
    }
  });

  it('refuses malformed bodies and tokens with Keystone statuses', async () => {
    expect((await call('POST', '/v3/auth/tokens', { body: '{"auth": ' })).status).toBe(400);
    expect((await call('POST', '/v3/auth/tokens', { body: { auth: {} } })).status).toBe(400);
    expect(
      (await call('POST', '/v3/projects', { token: admin, body: { project: { name: 'x'.repeat(65) } } }))
        .status,
    ).toBe(400);
    expect((await call('GET', '/v3/projects', { token: 'not-a-token' })).status).toBe(401);
    const check = await call('GET', '/v3/auth/tokens', {
      token: admin,
      headers: { 'x-subject-token': `${admin.slice(0, -4)}AAAA` },
    });
    expect(check.status).toBe(404);
    expect(
      (
        await call('POST', '/v3/auth/tokens', {
          body: {
            auth: {
              identity: {
                methods: ['password'],
                password: { user: { name: 'a'.repeat(300), domain: { id: 'default' }, password: 'x' } },
              },
            },
          },
        })
      ).status,
    ).toBe(401);
  });

  it('revokes tokens on password change, user disable, project disable and explicit revocation at once', async () => {
    const project = (
      await call('POST', '/v3/projects', { token: admin, body: { project: { name: 'p-revoke' } } })
    ).body.project;
    const user = (
      await call('POST', '/v3/users', {
        token: admin,
        body: { user: { name: 'u-revoke', password: 'First-pass1' } },
      })
    ).body.user;
    const member = (await call('GET', '/v3/roles?name=member', { token: admin })).body.roles[0];
    expect(
      (await call('PUT', `/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`, { token: admin }))
        .status,
    ).toBe(204);
    const scoped = async (pw: string) =>
      (await login({ id: user.id }, pw, { project: { id: project.id } })).headers.get('x-subject-token')!;
    const valid = async (t: string) =>
      (await call('HEAD', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': t } })).status;

    const t1 = await scoped('First-pass1');
    expect(await valid(t1)).toBe(200);
    expect(
      (await call('DELETE', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': t1 } })).status,
    ).toBe(204);
    expect(await valid(t1)).toBe(404);

    const t2 = await scoped('First-pass1');
    expect(
      (
        await call('POST', `/v3/users/${user.id}/password`, {
          body: { user: { original_password: 'First-pass1', password: 'Second-pass2' } },
        })
      ).status,
    ).toBe(204);
    expect(await valid(t2)).toBe(404);
    await new Promise((r) => setTimeout(r, 1100));

    const t3 = await scoped('Second-pass2');
    expect(await valid(t3)).toBe(200);
    await call('PATCH', `/v3/projects/${project.id}`, {
      token: admin,
      body: { project: { enabled: false } },
    });
    expect(await valid(t3)).toBe(404);
    expect((await login({ id: user.id }, 'Second-pass2', { project: { id: project.id } })).status).toBe(401);

    expect(
      (
        await call('DELETE', `/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`, {
          token: admin,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call('DELETE', `/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`, {
          token: admin,
        })
      ).status,
    ).toBe(404);
  });

  it('locks an account after repeated failures and refuses reused passwords', async () => {
    const user = (
      await call('POST', '/v3/users', {
        token: admin,
        body: { user: { name: 'u-lock', password: 'Lock-pass1' } },
      })
    ).body.user;
    expect((await login({ id: user.id }, 'bad-1')).status).toBe(401);
    expect((await login({ id: user.id }, 'bad-2')).status).toBe(401);
    expect((await login({ id: user.id }, 'Lock-pass1')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await login({ id: user.id }, 'Lock-pass1')).status).toBe(201);

    const change = (from: string, to: string) =>
      call('POST', `/v3/users/${user.id}/password`, {
        body: { user: { original_password: from, password: to } },
      });
    expect((await change('Lock-pass1', 'Lock-pass2')).status).toBe(204);
    const reused = await change('Lock-pass2', 'Lock-pass1');
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toContain('cannot be identical to a previous password');
  });

  it('lists effective role assignments with names through groups and implied roles', async () => {
    const group = (await call('POST', '/v3/groups', { token: admin, body: { group: { name: 'g-eff' } } }))
      .body.group;
    const user = (await call('POST', '/v3/users', { token: admin, body: { user: { name: 'u-eff' } } })).body
      .user;
    const project = (
      await call('POST', '/v3/projects', { token: admin, body: { project: { name: 'p-eff' } } })
    ).body.project;
    const memberRole = (await call('GET', '/v3/roles?name=member', { token: admin })).body.roles[0];
    await call('PUT', `/v3/groups/${group.id}/users/${user.id}`, { token: admin });
    await call('PUT', `/v3/projects/${project.id}/groups/${group.id}/roles/${memberRole.id}`, {
      token: admin,
    });
    const r = await call('GET', `/v3/role_assignments?effective&include_names&user.id=${user.id}`, {
      token: admin,
    });
    expect(r.status).toBe(200);
    const names = r.body.role_assignments.map((a: any) => a.role.name).sort();
    expect(names).toEqual(['member', 'reader']);
    expect(r.body.role_assignments[0].links.membership).toContain(`/groups/${group.id}/users/${user.id}`);
    expect(r.body.role_assignments[0].scope.project.name).toBe('p-eff');
  });
});
