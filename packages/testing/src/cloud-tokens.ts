import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TestCloud } from './start-test-cloud';

/** A project-scoped token and the project's id. */
export interface ScopedToken {
  token: string;
  projectId: string;
}

/** Issues a project-scoped token for a user of the Default domain (password method). */
export async function passwordToken(
  cloud: Pick<TestCloud, 'url'>,
  user: string,
  password: string,
  project: string,
): Promise<ScopedToken> {
  const r = await fetch(`${cloud.url('identity')}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { id: 'default' }, password } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  if (r.status !== 201) throw new Error(`token for ${user}: HTTP ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { token: { project: { id: string } } };
  return { token: r.headers.get('x-subject-token')!, projectId: body.token.project.id };
}

/** The bootstrap admin's token on the admin project (its password is in the cloud's clouds.yaml). */
export function adminToken(cloud: TestCloud): Promise<ScopedToken> {
  const password = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
    .password;
  return passwordToken(cloud, 'admin', password, 'admin');
}
