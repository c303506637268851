import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken as adminTokenOf, passwordToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Property protections by role through the API: creates and updates refused with 403, properties
// a caller may not read hidden from every view and treated as absent by patches.
describe('image property protections', () => {
  let cloud: TestCloud;
  let base: string;
  let adminToken: string;
  let memberToken: string;
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-protect-'));
  const rules = join(dir, 'property-protections.conf');

  const token = async (user: string, password: string, project: string) =>
    (await passwordToken(cloud, user, password, project)).token;
  const call = async (
    tok: string,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        'x-auth-token': tok,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': type } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  const patch = (tok: string, id: string, ops: unknown[]) =>
    call(tok, 'PATCH', `/v2/images/${id}`, ops, 'application/openstack-images-v2.1-json-patch');

  beforeAll(async () => {
    const section = (name: string, c: string, r: string, u: string, d: string) =>
      `[${name}]\ncreate = ${c}\nread = ${r}\nupdate = ${u}\ndelete = ${d}\n\n`;
    writeFileSync(
      rules,
      section('^x_admin_.*', 'admin', 'admin', 'admin', 'admin') +
        section('^x_secret$', 'admin', '!', '!', 'admin') +
        section('.*', '@', '@', '@', '@'),
    );
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image: { property_protection_file: rules },
    });
    base = cloud.url('image');
    adminToken = (await adminTokenOf(cloud)).token;
    const id = cloud.url('identity');
    const post = (path: string, body: unknown) =>
      fetch(`${id}/v3${path}`, {
        method: 'POST',
        headers: { 'x-auth-token': adminToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    const project = (await post('/projects', { project: { name: 'protected-p', domain_id: 'default' } }))
      .project;
    const user = (
      await post('/users', { user: { name: 'protected-u', password: 'Pass-word1', domain_id: 'default' } })
    ).user;
    const roles = await fetch(`${id}/v3/roles?name=member`, { headers: { 'x-auth-token': adminToken } }).then(
      (r) => r.json() as Promise<any>,
    );
    await fetch(`${id}/v3/projects/${project.id}/users/${user.id}/roles/${roles.roles[0].id}`, {
      method: 'PUT',
      headers: { 'x-auth-token': adminToken },
    });
    memberToken = await token('protected-u', 'Pass-word1', 'protected-p');
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enforces create, read, update and delete rules per role', async () => {
    const refused = await call(memberToken, 'POST', '/v2/images', { name: 'm', x_admin_level: '1' });
    expect(refused.status).toBe(403);
    expect(refused.body.forbidden?.message ?? JSON.stringify(refused.body)).toMatch(
      /x_admin_level' is reserved/,
    );

    const made = await call(adminToken, 'POST', '/v2/images', {
      name: 'p',
      visibility: 'public',
      x_admin_level: '1',
      x_secret: 's',
      os_distro: 'debian',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ x_admin_level: '1', os_distro: 'debian' });
    expect(made.body.x_secret).toBeUndefined();
    const id = made.body.id;

    const asMember = (await call(memberToken, 'GET', `/v2/images/${id}`)).body;
    expect(asMember.os_distro).toBe('debian');
    expect(asMember.x_admin_level).toBeUndefined();
    const listed = (await call(memberToken, 'GET', '/v2/images')).body.images.find((i: any) => i.id === id);
    expect(listed.x_admin_level).toBeUndefined();

    expect(
      (await patch(adminToken, id, [{ op: 'replace', path: '/x_admin_level', value: '2' }])).status,
    ).toBe(200);
    expect((await patch(adminToken, id, [{ op: 'remove', path: '/x_secret' }])).status).toBe(409);
    const own = (await call(memberToken, 'POST', '/v2/images', { name: 'mine', os_distro: 'debian' })).body;
    expect(
      (await patch(memberToken, own.id, [{ op: 'add', path: '/x_admin_level', value: '1' }])).status,
    ).toBe(403);
    expect(
      (await patch(memberToken, own.id, [{ op: 'replace', path: '/os_distro', value: 'arch' }])).status,
    ).toBe(200);
    const after = (await call(adminToken, 'GET', `/v2/images/${id}`)).body;
    expect(after.x_admin_level).toBe('2');
  });
});
