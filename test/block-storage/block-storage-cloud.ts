import { blockStorageService } from '@nimbus/block-storage';
import { identityService } from '@nimbus/identity';
import type { ServiceDefinition } from '@nimbus/service';
import {
  adminToken,
  type Caller,
  jsonCaller,
  passwordToken,
  startTestCloud,
  type TestCloud,
} from '@nimbus/testing';

export type { Answer, Caller } from '@nimbus/testing';

const caller = jsonCaller;

/** Polls until `check` answers true (every 20 ms, up to `seconds`). */
export async function until(check: () => Promise<boolean>, seconds = 10): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met in time');
}

/**
 * A test cloud with identity and block storage (the `fake` backend unless told otherwise), an
 * admin caller and a member caller in another project, both rooted at `/v3/{their project}`.
 */
export async function blockStorageCloud(
  options: {
    extraServices?: ServiceDefinition[];
    blockStorage?: Record<string, unknown>;
    /** The cloud's data directory (default: a scratch one), to look at the file backends' files. */
    dataDir?: string;
  } = {},
): Promise<{
  cloud: TestCloud;
  admin: Caller;
  member: Caller;
  memberProject: string;
  adminProject: string;
  root: Caller;
}> {
  const cloud = await startTestCloud(
    [identityService, ...(options.extraServices ?? []), blockStorageService],
    {
      identity: { password_hash_rounds: 4 },
      block_storage: {
        enabled_backends: ['fake'],
        backup_driver: 'posix',
        pool_report_interval: 1,
        ...options.blockStorage,
      },
      ...(options.dataDir ? { DEFAULT: { data_dir: options.dataDir } } : {}),
    },
  );
  const { token, projectId } = await adminToken(cloud);
  const id = cloud.url('identity');
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${id}${path}`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await r.json()) as any;
  };
  const project = (await post('/v3/projects', { project: { name: 'bs-member', domain_id: 'default' } }))
    .project;
  const user = (
    await post('/v3/users', {
      user: { name: 'bs-user', password: 'Bs-pass-1', domain_id: 'default', default_project_id: project.id },
    })
  ).user;
  const roles = (await (
    await fetch(`${id}/v3/roles?name=member`, { headers: { 'x-auth-token': token } })
  ).json()) as any;
  await fetch(`${id}/v3/projects/${project.id}/users/${user.id}/roles/${roles.roles[0].id}`, {
    method: 'PUT',
    headers: { 'x-auth-token': token },
  });
  const m = await passwordToken(cloud, 'bs-user', 'Bs-pass-1', 'bs-member');
  const base = cloud.url('block-storage');
  return {
    cloud,
    admin: caller(`${base}/v3/${projectId}`, token),
    member: caller(`${base}/v3/${project.id}`, m.token),
    root: caller(base, token),
    memberProject: project.id,
    adminProject: projectId,
  };
}
