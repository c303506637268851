import { createHash, createHmac } from 'node:crypto';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Object storage's API over HTTP, for what clients get wrong: names, ranges, manifests, ETags, signatures.
describe('object storage API: bad input gets upstream status codes and loses nothing', () => {
  let cloud: TestCloud;
  let token: string;
  let account: string;
  let base: string;
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
    fetch(`${account}${path}`, { method, headers: { 'x-auth-token': token, ...headers }, body });

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, objectStorageService], {
      identity: { password_hash_rounds: 4 },
      object_storage: { part_power: 6 },
    });
    const { readFileSync } = await import('node:fs');
    const password = /password: *['"]?([^'"\n]+)/.exec(
      readFileSync(`${cloud.dataDir}/clouds.yaml`, 'utf8'),
    )![1]!;
    const auth = await fetch(`${cloud.url('identity')}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'admin', domain: { id: 'default' }, password } },
          },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      }),
    });
    token = auth.headers.get('x-subject-token')!;
    const project = ((await auth.json()) as { token: { project: { id: string } } }).token.project.id;
    base = cloud.url('object-store');
    account = `${base}/v1/AUTH_${project}`;
    expect((await call('PUT', '/c')).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('stores names with unicode, dots and slashes as given, and refuses over-long ones with 400', async () => {
    for (const name of ['ünï/cødé ☃', '../up/../dots', 'a//double', '%25literal']) {
      const path = `/c/${encodeURIComponent(name)}`;
      expect((await call('PUT', path, {}, name)).status).toBe(201);
      const got = await call('GET', path);
      expect(await got.text()).toBe(name);
    }
    const listing = (await (await call('GET', '/c?format=json')).json()) as { name: string }[];
    expect(listing.map((o) => o.name)).toEqual(
      expect.arrayContaining(['ünï/cødé ☃', '../up/../dots', 'a//double', '%25literal']),
    );
    const info = (await (await fetch(`${base}/info`)).json()) as {
      swift: { max_object_name_length: number; max_container_name_length: number };
    };
    expect(
      (await call('PUT', `/c/${'x'.repeat(info.swift.max_object_name_length + 1)}`, {}, 'x')).status,
    ).toBe(400);
    expect((await call('PUT', `/${'y'.repeat(info.swift.max_container_name_length + 1)}`)).status).toBe(400);
    expect((await fetch(`${account}/c/%FF%FE`, { headers: { 'x-auth-token': token } })).status).toBe(412);
  });

  it('answers ranges as swob: 206, multipart, 416 for unsatisfiable, the whole for malformed', async () => {
    expect((await call('PUT', '/c/r', {}, '0123456789')).status).toBe(201);
    const one = await call('GET', '/c/r', { range: 'bytes=2-4' });
    expect(one.status).toBe(206);
    expect(await one.text()).toBe('234');
    expect(one.headers.get('content-range')).toBe('bytes 2-4/10');
    const suffix = await call('GET', '/c/r', { range: 'bytes=-3' });
    expect(await suffix.text()).toBe('789');
    const multi = await call('GET', '/c/r', { range: 'bytes=0-0,9-9' });
    expect(multi.headers.get('content-type')).toMatch(/^multipart\/byteranges/);
    expect((await call('GET', '/c/r', { range: 'bytes=20-30' })).status).toBe(416);
    const negative = await call('GET', '/c/r', { range: 'bytes=5-2' });
    expect(negative.status).toBe(200);
    expect(await negative.text()).toBe('0123456789');
    const huge = await call('GET', '/c/r', { range: 'bytes=3-99999999999999999999' });
    expect(await huge.text()).toBe('3456789');
  });

  it('refuses an ETag mismatch with 422 and leaves the previous object readable', async () => {
    expect((await call('PUT', '/c/e', {}, 'first')).status).toBe(201);
    const bad = await call(
      'PUT',
      '/c/e',
      { etag: createHash('md5').update('other').digest('hex') },
      'second',
    );
    expect(bad.status).toBe(422);
    expect(await (await call('GET', '/c/e')).text()).toBe('first');
    const good = await call(
      'PUT',
      '/c/e',
      { etag: createHash('md5').update('second').digest('hex') },
      'second',
    );
    expect(good.status).toBe(201);
  });

  it('honours If-None-Match: * on PUT and refuses other values', async () => {
    expect((await call('PUT', '/c/inm', { 'if-none-match': '*' }, 'one')).status).toBe(201);
    expect((await call('PUT', '/c/inm', { 'if-none-match': '*' }, 'two')).status).toBe(412);
    expect((await call('PUT', '/c/inm', { 'if-none-match': 'abc' }, 'two')).status).toBe(400);
    expect(await (await call('GET', '/c/inm')).text()).toBe('one');
  });

  it('refuses bad SLO manifests with 400 and stores no manifest', async () => {
    expect((await call('PUT', '/c/seg1', {}, 'aaaa')).status).toBe(201);
    const cases = [
      'not json',
      '[]',
      JSON.stringify([{ path: '/c/missing' }]),
      JSON.stringify([{ path: '/c/seg1', etag: 'wrong' }]),
      JSON.stringify([{ path: '/c/seg1', size_bytes: 99 }]),
    ];
    for (const body of cases) {
      const res = await call('PUT', '/c/manifest?multipart-manifest=put', {}, body);
      expect(res.status).toBe(400);
    }
    expect((await call('HEAD', '/c/manifest')).status).toBe(404);
    const ok = await call(
      'PUT',
      '/c/manifest?multipart-manifest=put',
      {},
      JSON.stringify([{ path: '/c/seg1' }, { path: '/c/seg1', range: '1-2' }]),
    );
    expect(ok.status).toBe(201);
    expect(await (await call('GET', '/c/manifest')).text()).toBe('aaaaaa');
  });

  it('checks metadata limits and X-Delete-At', async () => {
    expect((await call('PUT', '/c/m', { 'x-object-meta-k': 'v'.repeat(257) }, 'x')).status).toBe(400);
    expect((await call('PUT', '/c/m', { 'x-delete-at': '1' }, 'x')).status).toBe(400);
    expect((await call('PUT', '/c/m', { 'x-delete-after': 'soon' }, 'x')).status).toBe(400);
    expect((await call('GET', '/c?limit=10001')).status).toBe(412);
    expect((await call('GET', '/c?limit=abc')).status).toBe(400);
  });

  it('refuses expired and forged TempURL signatures with 401', async () => {
    expect((await call('POST', '', { 'x-account-meta-temp-url-key': 'k' })).status).toBe(204);
    expect((await call('PUT', '/c/t', {}, 'tmp')).status).toBe(201);
    const path = new URL(`${account}/c/t`).pathname;
    const sign = (expires: number) =>
      createHmac('sha256', 'k').update(`GET\n${expires}\n${path}`).digest('hex');
    const future = Math.floor(Date.now() / 1000) + 60;
    expect(
      (await fetch(`${base}${path}?temp_url_sig=${sign(future)}&temp_url_expires=${future}`)).status,
    ).toBe(200);
    const past = Math.floor(Date.now() / 1000) - 1;
    expect((await fetch(`${base}${path}?temp_url_sig=${sign(past)}&temp_url_expires=${past}`)).status).toBe(
      401,
    );
    expect(
      (await fetch(`${base}${path}?temp_url_sig=${'0'.repeat(64)}&temp_url_expires=${future}`)).status,
    ).toBe(401);
    expect((await fetch(`${base}${path}?temp_url_sig=zz&temp_url_expires=${future}`)).status).toBe(401);
  });

  it('follows symlinks, shows them with ?symlink=get, and checks static links', async () => {
    expect((await call('PUT', '/c/target', {}, 'pointed at')).status).toBe(201);
    expect((await call('PUT', '/c/link', { 'x-symlink-target': 'c/target' }, '')).status).toBe(201);
    const got = await call('GET', '/c/link');
    expect(await got.text()).toBe('pointed at');
    expect(got.headers.get('content-location')).toMatch(/\/c\/target$/);
    const raw = await call('HEAD', '/c/link?symlink=get');
    expect(raw.headers.get('x-symlink-target')).toBe('c/target');
    expect((await call('PUT', '/c/link2', { 'x-symlink-target': 'c/link' }, '')).status).toBe(201);
    expect(await (await call('GET', '/c/link2')).text()).toBe('pointed at');
    expect((await call('PUT', '/c/bad', { 'x-symlink-target': 'c/target' }, 'body')).status).toBe(400);
    expect(
      (
        await call(
          'PUT',
          '/c/static',
          { 'x-symlink-target': 'c/target', 'x-symlink-target-etag': 'nope' },
          '',
        )
      ).status,
    ).toBe(409);
    expect((await call('PUT', '/c/dangling', { 'x-symlink-target': 'c/missing' }, '')).status).toBe(201);
    expect((await call('GET', '/c/dangling')).status).toBe(404);
    const info = (await (await fetch(`${base}/info`)).json()) as { symlink?: { symloop_max: number } };
    expect(info.symlink?.symloop_max).toBe(2);
  });

  it('lets another project in by the account ACL: read-only reads, read-write writes, neither sets ACLs', async () => {
    const identity = cloud.url('identity');
    const admin = { 'x-auth-token': token, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) =>
      (
        await fetch(`${identity}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) })
      ).json() as Promise<any>;
    const project = (await post('/v3/projects', { project: { name: 'acl-other', domain_id: 'default' } }))
      .project.id as string;
    const user = (
      await post('/v3/users', {
        user: {
          name: 'acl-user',
          password: 'acl-secret-1',
          domain_id: 'default',
          default_project_id: project,
        },
      })
    ).user.id as string;
    const roles = (await (await fetch(`${identity}/v3/roles?name=member`, { headers: admin })).json()) as {
      roles: { id: string }[];
    };
    await fetch(`${identity}/v3/projects/${project}/users/${user}/roles/${roles.roles[0]!.id}`, {
      method: 'PUT',
      headers: admin,
    });
    const auth = await fetch(`${identity}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { id: user, password: 'acl-secret-1' } } },
          scope: { project: { id: project } },
        },
      }),
    });
    const other = auth.headers.get('x-subject-token')!;
    const as = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
      fetch(`${account}${path}`, { method, headers: { 'x-auth-token': other, ...headers }, body });
    expect((await call('PUT', '/acl/o', {}, 'mine')).status).toBe(404);
    expect((await call('PUT', '/acl')).status).toBe(201);
    expect((await call('PUT', '/acl/o', {}, 'mine')).status).toBe(201);
    expect((await as('GET', '/acl/o')).status).toBe(403);
    expect((await call('POST', '', { 'x-account-access-control': '{"read-only": [' })).status).toBe(400);
    expect((await call('POST', '', { 'x-account-access-control': '{"superuser": []}' })).status).toBe(400);
    expect(
      (await call('POST', '', { 'x-account-access-control': JSON.stringify({ 'read-only': [user] }) }))
        .status,
    ).toBe(204);
    expect((await call('HEAD', '')).headers.get('x-account-access-control')).toContain(user);
    expect(await (await as('GET', '/acl/o')).text()).toBe('mine');
    expect((await as('PUT', '/acl/p', {}, 'theirs')).status).toBe(403);
    expect(
      (
        await call('POST', '', {
          'x-account-access-control': JSON.stringify({ 'read-write': [`${project}:*`] }),
        })
      ).status,
    ).toBe(204);
    expect((await as('PUT', '/acl/p', {}, 'theirs')).status).toBe(201);
    expect(
      (await as('POST', '', { 'x-account-access-control': JSON.stringify({ admin: [user] }) })).status,
    ).toBe(403);
    expect((await as('POST', '', { 'x-account-meta-k': 'v' })).status).toBe(403);
    expect((await call('POST', '', { 'x-account-access-control': '{}' })).status).toBe(204);
    expect((await as('GET', '/acl/o')).status).toBe(403);
  });

  it('answers 401 without a token and 404 for what does not exist', async () => {
    expect((await fetch(`${account}/c/r`)).status).toBe(401);
    expect((await call('GET', '/nope')).status).toBe(404);
    expect((await call('GET', '/c/nope')).status).toBe(404);
    expect((await call('DELETE', '/c/nope')).status).toBe(404);
    expect((await call('PUT', '/nope/o', {}, 'x')).status).toBe(404);
  });
}, 300_000);
