import { identityService } from '@nimbus/identity';
import { titleCaseHeaderName } from '@nimbus/http';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, rawHeaderNames, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Swift title-cases every response header name (swob's HeaderKeyDict); clients compare them so.
describe('object storage writes header names as Swift does', () => {
  let cloud: TestCloud;
  let token: string;
  let account: string;

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, objectStorageService], {
      identity: { password_hash_rounds: 4 },
      object_storage: { part_power: 6 },
    });
    const admin = await adminToken(cloud);
    token = admin.token;
    account = `${cloud.url('object-store')}/v1/AUTH_${admin.projectId}`;
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('title-cases every name of every answer, metadata and errors included', async () => {
    const auth = { 'x-auth-token': token };
    const seen: string[] = [];
    const send = async (
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: string,
    ) => {
      const r = await rawHeaderNames(`${account}${path}`, { method, headers: { ...auth, ...headers }, body });
      seen.push(...r.names);
      return r;
    };
    expect((await send('PUT', '/spell', { 'x-container-meta-owner': 'ops' })).status).toBe(201);
    expect((await send('PUT', '/spell/o', { 'x-object-meta-k1': 'v1' }, 'hello')).status).toBe(201);
    expect(
      (await send('POST', '/spell/o', { 'x-object-meta-color': 'blue', 'x-object-meta-k1': 'v1' })).status,
    ).toBe(202);
    expect((await send('GET', '/spell/o')).status).toBe(200);
    expect((await send('HEAD', '/spell/o')).status).toBe(200);
    expect((await send('GET', '/spell/o', { range: 'bytes=0-1' })).status).toBe(206);
    expect((await send('HEAD', '/spell')).status).toBe(204);
    expect((await send('GET', '/spell?format=json')).status).toBe(200);
    expect((await send('HEAD', '')).status).toBe(204);
    expect((await send('GET', '/spell/missing')).status).toBe(404);
    expect((await rawHeaderNames(`${account}/spell/o`)).status).toBe(401);

    for (const name of seen) expect(name).toBe(titleCaseHeaderName(name));
    expect(seen).toEqual(
      expect.arrayContaining([
        'X-Object-Meta-K1',
        'X-Object-Meta-Color',
        'X-Container-Meta-Owner',
        'X-Container-Object-Count',
        'X-Container-Bytes-Used',
        'X-Account-Container-Count',
        'X-Timestamp',
        'X-Trans-Id',
        'X-Openstack-Request-Id',
        'Etag',
        'Content-Length',
        'Content-Type',
        'Content-Range',
        'Last-Modified',
        'Accept-Ranges',
        'Date',
      ]),
    );
  });
});
