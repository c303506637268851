import { cloudClientEnv, openstack } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitServer } from './compute-cloud';
import { availableVolume, volumeCloud, waitVolume } from './volume-cloud';

// The real `openstack` CLI: volumes attached and detached through compute, a server booted from one.
describe('openstack CLI: server volumes', () => {
  let env: Awaited<ReturnType<typeof volumeCloud>>;
  let osEnv: Record<string, string>;
  const os = (...args: string[]) => openstack(osEnv, args);

  beforeAll(async () => {
    env = await volumeCloud();
    osEnv = cloudClientEnv(env.cloud);
  }, 60_000);
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('adds and removes a volume with `server add volume` / `server remove volume`', async () => {
    const server = await os(
      'server',
      'create',
      '--flavor',
      env.flavorId,
      '--image',
      env.imageId,
      '--network',
      'private',
      '--wait',
      'cli-vol-vm',
      '-f',
      'json',
    );
    expect(server.status).toBe('ACTIVE');
    const vol = await availableVolume(env.volume, { name: 'cli-data' });
    await os('server', 'add', 'volume', '--device', '/dev/vdb', 'cli-vol-vm', 'cli-data');
    const shown = await waitVolume(env.volume, vol, (v) => v.status === 'in-use');
    expect(shown.attachments[0]).toMatchObject({ server_id: server.id, device: '/dev/vdb' });
    const after = await os('server', 'show', 'cli-vol-vm', '-f', 'json');
    expect(JSON.stringify(after.volumes_attached)).toContain(vol);
    await os('server', 'remove', 'volume', 'cli-vol-vm', 'cli-data');
    await waitVolume(env.volume, vol, (v) => v.status === 'available');
  }, 120_000);

  it('boots a server from a volume with `server create --volume`', async () => {
    const vol = await availableVolume(env.volume, { name: 'cli-root', imageRef: env.imageId });
    const server = await os(
      'server',
      'create',
      '--flavor',
      env.flavorId,
      '--volume',
      'cli-root',
      '--network',
      'private',
      '--wait',
      'cli-bfv',
      '-f',
      'json',
    );
    expect(server.status).toBe('ACTIVE');
    await waitServer(env.compute, server.id, (s) => s.status === 'ACTIVE');
    const v = await waitVolume(env.volume, vol, (x) => x.status === 'in-use');
    expect(v.attachments[0]).toMatchObject({ server_id: server.id, device: '/dev/vda' });
  }, 120_000);
});
