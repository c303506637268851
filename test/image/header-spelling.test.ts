import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, rawHeaderNames, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Names webob and Glance's controllers write, oslo.middleware's request id, and Node's own. */
const GLANCE = [
  'Content-Type',
  'Content-Length',
  'Content-MD5',
  'Content-Range',
  'Location',
  'Accept-Patch',
  'Allow',
  'OpenStack-image-import-methods',
  'OpenStack-image-store-ids',
  'x-openstack-request-id',
];
const NODE = ['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'];

describe('image writes header names as Glance does', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], { identity: { password_hash_rounds: 4 } });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('spells create, upload, download, listing and fault answers with upstream names only', async () => {
    const { token } = await adminToken(cloud);
    const base = `${cloud.url('image')}/v2`;
    const auth = { 'x-auth-token': token };
    const created = await fetch(`${base}/images`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'spell', disk_format: 'raw', container_format: 'bare' }),
    });
    const id = ((await created.json()) as { id: string }).id;
    const answers = [
      await rawHeaderNames(`${base}/images`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'spell2', disk_format: 'raw', container_format: 'bare' }),
      }),
      await rawHeaderNames(`${base}/images/${id}/file`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/octet-stream' },
        body: 'image bytes',
      }),
      await rawHeaderNames(`${base}/images/${id}/file`, { headers: auth }),
      await rawHeaderNames(`${base}/images/${id}/file`, { headers: { ...auth, range: 'bytes=0-3' } }),
      await rawHeaderNames(`${base}/images?limit=1`, { headers: auth }),
      await rawHeaderNames(`${base}/images/${id}`, {
        method: 'PATCH',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '[]',
      }),
      await rawHeaderNames(`${base}/images/00000000-0000-0000-0000-000000000000`, { headers: auth }),
      await rawHeaderNames(`${base}/images`),
    ];
    expect(answers.map((a) => a.status)).toEqual([201, 204, 200, 206, 200, 415, 404, 401]);
    const names = answers.flatMap((a) => a.names);
    for (const name of names) expect([...GLANCE, ...NODE]).toContain(name);
    expect(names).toEqual(
      expect.arrayContaining(['OpenStack-image-import-methods', 'Content-MD5', 'Accept-Patch']),
    );
  });
});
