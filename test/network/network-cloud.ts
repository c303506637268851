import { identityService } from '@nimbus/identity';
import { networkService } from '@nimbus/network';
import {
  adminToken,
  type Caller,
  jsonCaller,
  passwordToken,
  startTestCloud,
  type TestCloud,
} from '@nimbus/testing';

export type { Answer, Caller } from '@nimbus/testing';
export const caller = jsonCaller;

/** A test cloud with identity and network, an admin caller and a member of another project. */
export async function networkCloud(): Promise<{
  cloud: TestCloud;
  admin: Caller;
  member: Caller;
  memberProject: string;
  adminProject: string;
}> {
  const cloud = await startTestCloud([identityService, networkService], {
    identity: { password_hash_rounds: 4 },
  });
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
  const project = (await post('/v3/projects', { project: { name: 'net-member', domain_id: 'default' } }))
    .project;
  const user = (
    await post('/v3/users', {
      user: {
        name: 'net-user',
        password: 'Net-pass-1',
        domain_id: 'default',
        default_project_id: project.id,
      },
    })
  ).user;
  const roles = (await (
    await fetch(`${id}/v3/roles?name=member`, { headers: { 'x-auth-token': token } })
  ).json()) as any;
  await fetch(`${id}/v3/projects/${project.id}/users/${user.id}/roles/${roles.roles[0].id}`, {
    method: 'PUT',
    headers: { 'x-auth-token': token },
  });
  const m = await passwordToken(cloud, 'net-user', 'Net-pass-1', 'net-member');
  const base = cloud.url('network');
  return {
    cloud,
    admin: caller(base, token),
    member: caller(base, m.token),
    memberProject: project.id,
    adminProject: projectId,
  };
}
