import { identityService } from '@nimbus/identity';
import { rawHeaderNames, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Names Keystone's own code, Werkzeug and oslo.middleware write, and those Node adds itself. */
const KEYSTONE = [
  'Content-Type',
  'Content-Length',
  'X-Subject-Token',
  'Vary',
  'Location',
  'WWW-Authenticate',
  'x-openstack-request-id',
];
const NODE = ['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'];

describe('identity writes header names as Keystone does', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('spells token, listing and fault answers with upstream names only', async () => {
    const base = cloud.url('identity');
    const password = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
      .password;
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { id: 'default' }, password } },
        },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    });
    const issued = await rawHeaderNames(`${base}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(issued.status).toBe(201);
    expect(issued.names).toEqual(
      expect.arrayContaining(['X-Subject-Token', 'Content-Type', 'x-openstack-request-id']),
    );
    const token = (
      await fetch(`${base}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
    ).headers.get('x-subject-token')!;
    const answers = [
      issued,
      await rawHeaderNames(`${base}/v3/auth/tokens`, {
        headers: { 'x-auth-token': token, 'x-subject-token': token },
      }),
      await rawHeaderNames(`${base}/v3/projects`, { headers: { 'x-auth-token': token } }),
      await rawHeaderNames(`${base}/v3/projects/missing`, { headers: { 'x-auth-token': token } }),
      await rawHeaderNames(`${base}/v3/projects`),
      await rawHeaderNames(`${base}/v3`),
    ];
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200, 404, 401, 200]);
    for (const name of answers.flatMap((a) => a.names)) expect([...KEYSTONE, ...NODE]).toContain(name);
  });
});
