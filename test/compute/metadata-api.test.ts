import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCloud, waitServer } from './compute-cloud';

const SECRET = 'metadata-secret';

describe('compute metadata API (8775)', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let serverId: string;
  const get = (path: string, headers: Record<string, string>) =>
    env.cloud.servers.get('compute-metadata')!.inject({ method: 'GET', url: path, headers });
  const signed = (id: string) => ({
    'x-instance-id': id,
    'x-instance-id-signature': createHmac('sha256', SECRET).update(id).digest('hex'),
  });

  beforeAll(async () => {
    env = await computeCloud({ compute: { metadata_proxy_shared_secret: SECRET } });
    await env.compute('POST', '/os-keypairs', { keypair: { name: 'meta-key' } });
    const created = await env.compute('POST', '/servers', {
      server: {
        name: 'Meta VM',
        flavorRef: env.flavorId,
        imageRef: env.imageId,
        networks: [{ uuid: env.networkId }],
        key_name: 'meta-key',
        metadata: { role: 'web' },
        user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
      },
    });
    serverId = created.body.server.id;
    await waitServer(env.compute, serverId, (s) => s.status === 'ACTIVE');
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('serves the OpenStack tree to a server behind the signed proxy headers', async () => {
    const meta = await get('/openstack/latest/meta_data.json', signed(serverId));
    expect(meta.statusCode).toBe(200);
    expect(meta.json()).toMatchObject({
      uuid: serverId,
      name: 'Meta VM',
      hostname: 'meta-vm',
      meta: { role: 'web' },
    });
    expect(meta.json().public_keys['meta-key']).toMatch(/^ssh-rsa /);
    const userData = await get('/openstack/latest/user_data', signed(serverId));
    expect(userData.body).toBe('#!/bin/sh\necho hi\n');
    const net = await get('/openstack/latest/network_data.json', signed(serverId));
    expect(net.json().links).toHaveLength(1);
    const ec2 = await get('/latest/meta-data/instance-id', signed(serverId));
    expect(ec2.body).toBe(serverId);
  });

  it('refuses a bad signature', async () => {
    const forged = await get('/openstack/latest/meta_data.json', {
      'x-instance-id': serverId,
      'x-instance-id-signature': 'f'.repeat(64),
    });
    expect(forged.statusCode).toBe(403);
  });
});
