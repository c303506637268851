import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtTestServer, startExtTestServer } from './testing/ext-test-server';

describe('credentials API', () => {
  let s: ExtTestServer;
  let admin: string;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    s = await startExtTestServer();
    for (const r of ['admin', 'member', 'reader']) s.core.addRole(r);
    s.core.implied.push({ prior: 'admin', implied: 'member' }, { prior: 'member', implied: 'reader' });
    for (const u of ['root', 'alice', 'bob']) s.core.addUser(u);
    s.core.addProject('p1');
    s.core.addProject('p2');
    s.core.grant('root', 'p1', 'admin');
    s.core.grant('alice', 'p1', 'member');
    s.core.grant('bob', 'p1', 'member');
    admin = s.tokenFor('root', { projectId: 'p1' });
    alice = s.tokenFor('alice', { projectId: 'p1' });
    bob = s.tokenFor('bob', { projectId: 'p1' });
  });
  afterAll(() => s.close());

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-auth-token': token },
      ...(payload ? { payload: payload as object } : {}),
    });

  it('creates an ec2 credential named by the hash of its access key, encrypted at rest', async () => {
    const blob = JSON.stringify({ access: 'abc', secret: 's3cr3t' });
    const res = await call('POST', '/v3/credentials', alice, {
      credential: { user_id: 'alice', project_id: 'p1', type: 'ec2', blob },
    });
    expect(res.statusCode).toBe(201);
    const cred = res.json().credential;
    expect(cred.id).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(JSON.parse(cred.blob)).toEqual({ access: 'abc', secret: 's3cr3t' });
    const dup = await call('POST', '/v3/credentials', alice, {
      credential: { user_id: 'alice', project_id: 'p1', type: 'ec2', blob },
    });
    expect(dup.statusCode).toBe(409);
    const raw = await (
      s.managers as unknown as {
        credentials: { repo: { get(id: string): Promise<{ encryptedBlob: string }> } };
      }
    ).credentials.repo.get(cred.id);
    expect(raw.encryptedBlob).not.toContain('s3cr3t');
  });

  it('refuses an ec2 credential without project or access key', async () => {
    expect(
      (
        await call('POST', '/v3/credentials', alice, {
          credential: { user_id: 'alice', type: 'ec2', blob: '{"access":"x"}' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', '/v3/credentials', alice, {
          credential: { user_id: 'alice', project_id: 'p1', type: 'ec2', blob: '{"secret":"x"}' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', '/v3/credentials', alice, {
          credential: { user_id: 'alice', project_id: 'p1', type: 'ec2', blob: 'nope' },
        })
      ).statusCode,
    ).toBe(400);
  });

  it("forbids creating another user's credential and hides others' from lists", async () => {
    expect(
      (
        await call('POST', '/v3/credentials', alice, {
          credential: { user_id: 'bob', type: 'totp', blob: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    const mine = await call('POST', '/v3/credentials', bob, {
      credential: { user_id: 'bob', type: 'totp', blob: 'bob-secret' },
    });
    expect(mine.statusCode).toBe(201);
    const list = (await call('GET', '/v3/credentials', alice)).json().credentials as { user_id: string }[];
    expect(list.every((c) => c.user_id === 'alice')).toBe(true);
    expect((await call('GET', `/v3/credentials/${mine.json().credential.id}`, alice)).statusCode).toBe(403);
    const all = (await call('GET', '/v3/credentials?type=totp', admin)).json().credentials as {
      user_id: string;
      type: string;
    }[];
    expect(all.map((c) => c.user_id)).toEqual(['bob']);
  });

  it('lets PATCH change only the blob', async () => {
    const c = (
      await call('POST', '/v3/credentials', alice, {
        credential: { user_id: 'alice', type: 'cert', blob: 'one' },
      })
    ).json().credential;
    const ok = await call('PATCH', `/v3/credentials/${c.id}`, alice, { credential: { blob: 'two' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().credential.blob).toBe('two');
    expect(
      (await call('PATCH', `/v3/credentials/${c.id}`, alice, { credential: { project_id: 'p2' } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call('PATCH', `/v3/credentials/${c.id}`, alice, { credential: { user_id: 'bob' } })).statusCode,
    ).toBe(403);
    expect((await call('GET', `/v3/credentials/${c.id}`, alice)).json().credential.blob).toBe('two');
    expect((await call('DELETE', `/v3/credentials/${c.id}`, alice)).statusCode).toBe(204);
    expect((await call('GET', `/v3/credentials/${c.id}`, admin)).statusCode).toBe(404);
  });

  it('serves OS-EC2 credentials and validates EC2 tokens against their secret', async () => {
    const created = await call('POST', '/v3/users/alice/credentials/OS-EC2', alice, { tenant_id: 'p1' });
    expect(created.statusCode).toBe(201);
    const ec2 = created.json().credential;
    expect(ec2).toMatchObject({ user_id: 'alice', tenant_id: 'p1', trust_id: null });
    expect(
      (await call('GET', `/v3/users/alice/credentials/OS-EC2/${ec2.access}`, alice)).json().credential.secret,
    ).toBe(ec2.secret);
    expect(
      (await call('GET', '/v3/users/alice/credentials/OS-EC2', alice))
        .json()
        .credentials.map((c: { access: string }) => c.access),
    ).toContain(ec2.access);
    expect((await call('GET', '/v3/users/alice/credentials/OS-EC2', bob)).statusCode).toBe(403);

    const { createHmac } = await import('node:crypto');
    const params = {
      SignatureVersion: '2',
      SignatureMethod: 'HmacSHA256',
      Action: 'DescribeInstances',
      AWSAccessKeyId: ec2.access,
    };
    const query = Object.keys(params)
      .sort()
      .map((k) => `${k}=${encodeURIComponent(params[k as keyof typeof params])}`)
      .join('&');
    const signature = createHmac('sha256', ec2.secret)
      .update(`GET\nlocalhost:8773\n/\n${query}`)
      .digest('base64');
    const body = {
      credentials: { access: ec2.access, signature, host: 'localhost:8773', verb: 'GET', path: '/', params },
    };
    const tok = await s.app.inject({ method: 'POST', url: '/v3/ec2tokens', payload: body });
    expect(tok.statusCode).toBe(200);
    expect(tok.headers['x-subject-token']).toBeTruthy();
    expect(s.core.issued.at(-1)).toMatchObject({
      userId: 'alice',
      projectId: 'p1',
      methods: ['ec2credential'],
    });
    const bad = await s.app.inject({
      method: 'POST',
      url: '/v3/ec2tokens',
      payload: { credentials: { ...body.credentials, signature: 'x' } },
    });
    expect(bad.statusCode).toBe(401);

    expect((await call('DELETE', `/v3/users/alice/credentials/OS-EC2/${ec2.access}`, alice)).statusCode).toBe(
      204,
    );
    expect((await call('GET', `/v3/users/alice/credentials/OS-EC2/${ec2.access}`, alice)).statusCode).toBe(
      404,
    );
  });
});
