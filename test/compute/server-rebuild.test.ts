import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, computeCloud, waitServer } from './compute-cloud';

describe('compute: rebuild', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let compute: Caller;
  let otherImage: string;

  const boot = async (name: string) => {
    const r = await compute('POST', '/servers', {
      server: { name, flavorRef: env.flavorId, imageRef: env.imageId, networks: [{ uuid: env.networkId }] },
    });
    expect(r.status).toBe(202);
    return waitServer(compute, r.body.server.id, (s) => s.status === 'ACTIVE');
  };

  beforeAll(async () => {
    env = await computeCloud();
    compute = env.compute;
    const img = await env.image('POST', '/v2/images', {
      name: 'other',
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'public',
    });
    otherImage = img.body.id;
    await fetch(`${env.cloud.url('image')}/v2/images/${otherImage}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': env.token, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(512, 3),
    });
    await compute('POST', '/os-keypairs', { keypair: { name: 'k1' } });
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('rebuilds from a new image with a new name, metadata, key and user data (2.57)', async () => {
    const server = await boot('rb-1');
    const v = { 'openstack-api-version': 'compute 2.57' };
    const r = await compute(
      'POST',
      `/servers/${server.id}/action`,
      {
        rebuild: {
          imageRef: otherImage,
          name: 'rb-1-new',
          metadata: { a: 'b' },
          key_name: 'k1',
          user_data: Buffer.from('hello').toString('base64'),
          adminPass: 'secret-1',
        },
      },
      v,
    );
    expect(r.status).toBe(202);
    expect(r.body.server).toMatchObject({
      status: 'REBUILD',
      name: 'rb-1-new',
      metadata: { a: 'b' },
      image: { id: otherImage },
      key_name: 'k1',
      user_data: Buffer.from('hello').toString('base64'),
      adminPass: 'secret-1',
    });
    const done = await waitServer(compute, server.id, (s) => s.status === 'ACTIVE', v);
    expect(done.image.id).toBe(otherImage);
    expect(done.key_name).toBe('k1');
    const actions = await compute('GET', `/servers/${server.id}/os-instance-actions`);
    expect(actions.body.instanceActions[0].action).toBe('rebuild');
  });

  it('keeps a stopped server SHUTOFF, refuses unknown keys, images and busy servers', async () => {
    const server = await boot('rb-2');
    await compute('POST', `/servers/${server.id}/action`, { 'os-stop': null });
    await waitServer(compute, server.id, (s) => s.status === 'SHUTOFF');
    const r = await compute('POST', `/servers/${server.id}/action`, { rebuild: { imageRef: otherImage } });
    expect(r.status).toBe(202);
    const busy = await compute('POST', `/servers/${server.id}/action`, { rebuild: { imageRef: otherImage } });
    // The rebuild may already be done on the fake driver; either way a second one is well-formed.
    expect([202, 409]).toContain(busy.status);
    const done = await waitServer(
      compute,
      server.id,
      (s) => s.status === 'SHUTOFF' && s['OS-EXT-STS:task_state'] === null,
    );
    expect(done.image.id).toBe(otherImage);
    expect(done['OS-EXT-STS:power_state']).toBe(4);
    const badKey = await compute('POST', `/servers/${server.id}/action`, {
      rebuild: { imageRef: otherImage, key_name: 'k1' },
    });
    expect(badKey.status).toBe(400);
    const noImage = await compute('POST', `/servers/${server.id}/action`, {
      rebuild: { imageRef: '00000000-0000-0000-0000-000000000000' },
    });
    expect(noImage.status).toBe(400);
    const missing = await compute('POST', `/servers/${server.id}/action`, { rebuild: { name: 'x' } });
    expect(missing.status).toBe(400);
  });

  it('rebuilds a server in ERROR back to ACTIVE', async () => {
    const server = await boot('rb-3');
    await compute('POST', `/servers/${server.id}/action`, { 'os-resetState': { state: 'error' } });
    const r = await compute('POST', `/servers/${server.id}/action`, { rebuild: { imageRef: otherImage } });
    expect(r.status).toBe(202);
    const done = await waitServer(compute, server.id, (s) => s.status === 'ACTIVE');
    expect(done.image.id).toBe(otherImage);
  });
});
