import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, jsonCaller, passwordToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The metadefs API checks Glance's metadef rules on every route, under their upstream names, so an
// operator's image.yaml changes them: here members may create namespaces, and nothing else.
describe('image: metadef policies', () => {
  let cloud: TestCloud;
  let policyDir: string;
  let admin: ReturnType<typeof jsonCaller>;
  let member: ReturnType<typeof jsonCaller>;

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'nimbus-metadef-policy-'));
    writeFileSync(join(policyDir, 'image.yaml'), '"add_metadef_namespace": "role:member"\n');
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      oslo_policy: { policy_dir: policyDir },
    });
    const root = await adminToken(cloud);
    const identity = jsonCaller(cloud.url('identity'), root.token);
    const project = (await identity('POST', '/v3/projects', { project: { name: 'metadef-p' } })).body.project;
    const user = (
      await identity('POST', '/v3/users', { user: { name: 'metadef-member', password: 'pw-metadef' } })
    ).body.user;
    const roles = (await identity('GET', '/v3/roles')).body.roles as { id: string; name: string }[];
    const memberRole = roles.find((r) => r.name === 'member')!.id;
    expect(
      (await identity('PUT', `/v3/projects/${project.id}/users/${user.id}/roles/${memberRole}`)).status,
    ).toBe(204);
    admin = jsonCaller(cloud.url('image'), root.token);
    member = jsonCaller(
      cloud.url('image'),
      (await passwordToken(cloud, 'metadef-member', 'pw-metadef', 'metadef-p')).token,
    );
    for (const [namespace, visibility] of [
      ['admins-private', 'private'],
      ['admins-public', 'public'],
    ])
      expect((await admin('POST', '/v2/metadefs/namespaces', { namespace, visibility })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it("follows the operator's override and keeps every other default", async () => {
    expect((await member('POST', '/v2/metadefs/namespaces', { namespace: 'members-own' })).status).toBe(201);
    // Changing it is still metadef_admin: 403 on a namespace the member reads.
    expect(
      (await member('PUT', '/v2/metadefs/namespaces/members-own', { namespace: 'members-own' })).status,
    ).toBe(403);
    expect((await member('POST', '/v2/metadefs/namespaces/members-own/tags/t1')).status).toBe(403);
    expect((await member('DELETE', '/v2/metadefs/namespaces/members-own')).status).toBe(403);
    // A public namespace of another project reads, and refuses writes with 403.
    expect((await member('GET', '/v2/metadefs/namespaces/admins-public')).status).toBe(200);
    expect(
      (await member('POST', '/v2/metadefs/namespaces/admins-public/objects', { name: 'o' })).status,
    ).toBe(403);
    // A private one of another project stays hidden: 404 for reads and writes alike.
    expect((await member('GET', '/v2/metadefs/namespaces/admins-private')).status).toBe(404);
    expect(
      (await member('POST', '/v2/metadefs/namespaces/admins-private/objects', { name: 'o' })).status,
    ).toBe(404);
    const listed = (await member('GET', '/v2/metadefs/namespaces')).body.namespaces.map(
      (n: { namespace: string }) => n.namespace,
    );
    expect(listed).toContain('members-own');
    expect(listed).toContain('admins-public');
    expect(listed).not.toContain('admins-private');
  });
});
