import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken as adminTokenOf, passwordToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { policyCommand } from '../../apps/nimbus/src/commands/policy-command';

// Operators' per-service policy files over HTTP: <policy_dir>/image.yaml and identity.yaml change
// what a project member may do, take effect without a restart, and a bad file stops start-up.
describe('policy_dir overrides, over HTTP', () => {
  let cloud: TestCloud;
  let memberToken: string;
  let memberId: string;
  const policyDir = mkdtempSync(join(tmpdir(), 'nimbus-policy-dir-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(policyDir, `${name}.tmp`), text);
    renameSync(join(policyDir, `${name}.tmp`), join(policyDir, name));
  };
  const createImage = () =>
    fetch(`${cloud.url('image')}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': memberToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'mine', disk_format: 'raw', container_format: 'bare' }),
    });
  const showSelf = () =>
    fetch(`${cloud.url('identity')}/v3/users/${memberId}`, { headers: { 'x-auth-token': memberToken } });
  /** Polls until `status` answers `want`; returns the seconds it took. */
  const until = async (call: () => Promise<Response>, want: number) => {
    const started = performance.now();
    let status = 0;
    while (performance.now() - started < 4000) {
      status = (await call()).status;
      if (status === want) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(want);
    return (performance.now() - started) / 1000;
  };

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      oslo_policy: { policy_dir: policyDir },
    });
    const admin = (await adminTokenOf(cloud)).token;
    const id = cloud.url('identity');
    const post = (path: string, body: unknown) =>
      fetch(`${id}/v3${path}`, {
        method: 'POST',
        headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);
    const project = (await post('/projects', { project: { name: 'policy-p', domain_id: 'default' } }))
      .project;
    const user = (
      await post('/users', { user: { name: 'policy-u', password: 'Pass-word1', domain_id: 'default' } })
    ).user;
    memberId = user.id;
    const roles = await fetch(`${id}/v3/roles?name=member`, { headers: { 'x-auth-token': admin } }).then(
      (r) => r.json() as Promise<any>,
    );
    await fetch(`${id}/v3/projects/${project.id}/users/${user.id}/roles/${roles.roles[0].id}`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin },
    });
    memberToken = (await passwordToken(cloud, 'policy-u', 'Pass-word1', 'policy-p')).token;
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it('image.yaml changes what a member may do, within 2 s and without a restart', async () => {
    expect((await createImage()).status).toBe(201);
    write('image.yaml', '"add_image": "role:admin"\n');
    expect(await until(createImage, 403)).toBeLessThan(2);
    const refused = await createImage();
    expect(await refused.text()).toContain('add_image');
    // A broken edit is refused: the member stays refused, the service never opens up.
    write('image.yaml', '"add_image": "role:member"\n"add_imgae": "@"\n');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await createImage()).status).toBe(403);
    rmSync(join(policyDir, 'image.yaml'));
    expect(await until(createImage, 201)).toBeLessThan(2);
  });

  it('identity.yaml changes what a member may do, and leaves image alone', async () => {
    expect((await showSelf()).status).toBe(200);
    write('identity.yaml', '"identity:get_user": "role:admin"\n');
    expect(await until(showSelf, 403)).toBeLessThan(2);
    expect((await createImage()).status).toBe(201);
    rmSync(join(policyDir, 'identity.yaml'));
    await until(showSelf, 200);
  });

  it('nimbus policy check evaluates a rule for a token, with and without a target', async () => {
    const target = join(policyDir, 'target.json');
    writeFileSync(target, JSON.stringify({ target: { user: { id: memberId, domain_id: 'default' } } }));
    const run = async (...args: string[]) => {
      const lines: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      try {
        await policyCommand().parseAsync(['check', '--data-dir', cloud.dataDir, ...args], { from: 'user' });
        return { out: lines.join(''), exitCode: process.exitCode };
      } finally {
        spy.mockRestore();
        process.exitCode = undefined;
      }
    };
    const own = await run('--rule', 'identity:get_user', '--token', memberToken, '--target', target);
    expect(own).toEqual({ out: 'passed: identity:get_user\n', exitCode: undefined });
    const other = await run('--rule', 'identity:get_user', '--token', memberToken);
    expect(other.out).toMatch(
      /^failed: identity:get_user: rule identity:get_user \(.*\) failed for roles \[member, reader\]/,
    );
    expect(other.exitCode).toBe(1);
  });

  it('a bad policy file stops start-up with the file, the line and the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-policy-bad-'));
    writeFileSync(join(dir, 'image.yaml'), '# overrides\n"get_image": "rule:owner_or_admin"\n');
    try {
      await expect(
        startTestCloud([identityService, imageService], {
          identity: { password_hash_rounds: 4 },
          oslo_policy: { policy_dir: dir },
        }),
      ).rejects.toThrow(
        /image\.yaml:2: rule "get_image": refers to rule:owner_or_admin, which is not defined/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
