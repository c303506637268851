import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by the fuzzer: PATCH /v2/images/{id} with an octet-stream body had its stream rendered
// into a validation message, recursing until the stack overflowed (500). Glance answers 415 to a
// PATCH of any type but its two JSON-patch types, before it looks at the body.
describe('PATCH of an image with a non-JSON-patch content type', () => {
  let cloud: TestCloud;
  let token: string;
  let url: string;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService, imageService], { identity: { password_hash_rounds: 4 } });
    token = (await adminToken(cloud)).token;
    const created = await fetch(`${cloud.url('image')}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n1' }),
    });
    url = `${cloud.url('image')}/v2/images/${((await created.json()) as { id: string }).id}`;
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it.each([
    ['application/octet-stream', '[]'],
    ['text/plain', 'x'],
    ['application/json', '[]'],
  ])('answers 415 with Accept-Patch for %s', async (type, body) => {
    const r = await fetch(url, {
      method: 'PATCH',
      headers: { 'x-auth-token': token, 'content-type': type },
      body,
      signal: AbortSignal.timeout(5000),
    });
    expect(r.status).toBe(415);
    expect(r.headers.get('accept-patch')).toContain('application/openstack-images-v2.1-json-patch');
  });

  it('still validates a JSON-patch body: not an array is 400', async () => {
    const r = await fetch(url, {
      method: 'PATCH',
      headers: { 'x-auth-token': token, 'content-type': 'application/openstack-images-v2.1-json-patch' },
      body: '{"op":"add"}',
    });
    expect(r.status).toBe(400);
  });
});
