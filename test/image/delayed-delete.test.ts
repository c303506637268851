import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// delayed_delete: a deleted image is gone from the API at once but keeps its data in
// pending_delete until the scrubber's pass after scrub_time.
describe('delayed delete and the scrubber', () => {
  let cloud: TestCloud;
  let base: string;
  let token: string;

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], {
      identity: { password_hash_rounds: 4 },
      image: { delayed_delete: true, scrub_time: 1, wakeup_time: 1 },
    });
    base = cloud.url('image');
    ({ token } = await adminToken(cloud));
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('keeps the data of a deleted image until the scrubber runs after scrub_time', async () => {
    const h = { 'x-auth-token': token };
    const created = await fetch(`${base}/v2/images`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ disk_format: 'raw', container_format: 'bare' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await fetch(`${base}/v2/images/${created.id}/file`, {
      method: 'PUT',
      headers: { ...h, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(1000, 1),
    });
    const file = join(cloud.dataDir, 'images', created.id);
    expect(existsSync(file)).toBe(true);
    expect((await fetch(`${base}/v2/images/${created.id}`, { method: 'DELETE', headers: h })).status).toBe(
      204,
    );
    expect((await fetch(`${base}/v2/images/${created.id}`, { headers: h })).status).toBe(404);
    expect(existsSync(file)).toBe(true);
    const again = await fetch(`${base}/v2/images`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ id: created.id }),
    });
    expect(again.status).toBe(409);
    for (let i = 0; i < 100 && existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(file)).toBe(false);
  });
});
