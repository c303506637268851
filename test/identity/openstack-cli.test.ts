import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityService } from '@nimbus/identity';
import { cloudClientEnv, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);

// The real `openstack` CLI (Debian's python3-openstackclient) against the all-in-one identity.
describe('openstack CLI against identity', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;

  const os = (...args: string[]): Promise<any> => osWith(env, ...args);
  const osWith = async (env: Record<string, string>, ...args: string[]): Promise<any> => {
    const { stdout } = await run(
      'openstack',
      [
        ...args,
        ...(args.includes('delete') ||
        args.includes('revoke') ||
        args.includes('set') ||
        args.includes('add') ||
        args.includes('remove')
          ? []
          : ['-f', 'json']),
      ],
      { env, timeout: 60_000 },
    );
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  };

  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
    env = cloudClientEnv(cloud);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('issues and revokes tokens', async () => {
    const t = await os('token', 'issue');
    expect(t.project_id).toMatch(/^[0-9a-f]{32}$/);
    await os('token', 'revoke', t.id);
    const check = await fetch(`${cloud.url('identity')}/v3/auth/tokens`, {
      method: 'HEAD',
      headers: { 'x-auth-token': (await os('token', 'issue')).id, 'x-subject-token': t.id },
    });
    expect(check.status).toBe(404);
  });

  it('creates, lists, shows, updates and deletes domains, projects, users, groups and roles', async () => {
    const domain = await os('domain', 'create', 'cli-domain', '--description', 'from the CLI');
    expect(domain.name).toBe('cli-domain');
    const project = await os('project', 'create', 'cli-project', '--domain', 'cli-domain');
    expect(project.domain_id).toBe(domain.id);
    const user = await os(
      'user',
      'create',
      'cli-user',
      '--domain',
      'cli-domain',
      '--password',
      'Secr3t-pass',
      '--project',
      project.id,
    );
    const group = await os('group', 'create', 'cli-group', '--domain', 'cli-domain');
    const role = await os('role', 'create', 'cli-role');
    await os('group', 'add', 'user', group.id, user.id);
    await os('role', 'add', '--project', project.id, '--user', user.id, 'member');
    await os('role', 'add', '--project', project.id, '--group', group.id, 'cli-role');
    const assignments = await os('role', 'assignment', 'list', '--project', project.id, '--names');
    expect(assignments.map((a: any) => a.Role).sort()).toEqual(['cli-role', 'member']);
    const effective = await os('role', 'assignment', 'list', '--user', user.id, '--effective');
    expect(effective.length).toBeGreaterThanOrEqual(2);

    await os('project', 'set', '--description', 'changed', project.id);
    expect((await os('project', 'show', project.id)).description).toBe('changed');
    await os('user', 'set', '--email', 'cli@example.com', user.id);
    expect((await os('user', 'show', user.id)).email).toBe('cli@example.com');
    expect((await os('project', 'list', '--domain', domain.id)).map((p: any) => p.Name)).toEqual([
      'cli-project',
    ]);
    expect((await os('group', 'list', '--domain', domain.id)).map((g: any) => g.Name)).toEqual(['cli-group']);
    expect((await os('role', 'list')).map((r: any) => r.Name)).toContain('cli-role');

    await os('group', 'remove', 'user', group.id, user.id);
    await os('role', 'delete', role.id);
    await os('group', 'delete', group.id);
    await os('user', 'delete', user.id);
    await os('project', 'delete', project.id);
    await os('domain', 'set', '--disable', domain.id);
    await os('domain', 'delete', domain.id);
    expect((await os('domain', 'list')).map((d: any) => d.Name)).not.toContain('cli-domain');
  });

  it('logs in with an application credential', async () => {
    const ac = await os('application', 'credential', 'create', 'cli-ac', '--secret', 'ac-secret-1');
    const acEnv = {
      ...process.env,
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_AUTH_URL: `${cloud.url('identity')}/v3`,
      OS_APPLICATION_CREDENTIAL_ID: ac.id,
      OS_APPLICATION_CREDENTIAL_SECRET: 'ac-secret-1',
      OS_IDENTITY_API_VERSION: '3',
    };
    const { stdout } = await run('openstack', ['token', 'issue', '-f', 'json'], {
      env: acEnv as Record<string, string>,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout).project_id).toBe(ac.project_id);
  });

  it('creates a trust, lists the catalog and endpoints, and manages limits', async () => {
    const trustee = await os('user', 'create', 'cli-trustee', '--password', 'Trustee-pass1');
    const trust = await os('trust', 'create', '--project', 'admin', '--role', 'member', 'admin', trustee.id);
    expect(trust.trustee_user_id).toBe(trustee.id);
    const catalog = await os('catalog', 'list');
    expect(catalog.map((c: any) => c.Type)).toContain('identity');
    const endpoints = await os('endpoint', 'list', '--service', 'identity');
    expect(endpoints.map((e: any) => e.Interface).sort()).toEqual(['admin', 'internal', 'public']);
    const service = await os('service', 'create', '--name', 'cli-svc', 'cli-type');
    // Keystone 22 lets only a system administrator manage limits (no deprecated project rule).
    const password = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
      .password as string;
    const { OS_CLOUD: _cloud, OS_CLIENT_CONFIG_FILE: _file, ...rest } = env;
    const sys = (...args: string[]) =>
      osWith(
        {
          ...rest,
          OS_AUTH_TYPE: 'password',
          OS_AUTH_URL: `${cloud.url('identity')}/v3`,
          OS_IDENTITY_API_VERSION: '3',
          OS_USERNAME: 'admin',
          OS_USER_DOMAIN_ID: 'default',
          OS_PASSWORD: password,
          OS_SYSTEM_SCOPE: 'all',
        },
        ...args,
      );
    const refused = await os(
      'registered',
      'limit',
      'create',
      '--service',
      service.id,
      '--default-limit',
      '1',
      'x',
    ).then(
      () => 'created',
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/HTTP 403/);
    const registered = await sys(
      'registered',
      'limit',
      'create',
      '--service',
      service.id,
      '--default-limit',
      '10',
      'widgets',
    );
    expect(registered.default_limit).toBe(10);
    const limit = await sys(
      'limit',
      'create',
      '--service',
      service.id,
      '--project',
      'admin',
      '--resource-limit',
      '5',
      'widgets',
    );
    expect(limit.resource_limit).toBe(5);
    expect((await os('limit', 'list')).length).toBe(1);
    await sys('limit', 'delete', limit.id);
    await sys('registered', 'limit', 'delete', registered.id);
  });
}, 300_000);
