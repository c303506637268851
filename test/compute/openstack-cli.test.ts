import { cloudClientEnv, openstack } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCloud, waitServer } from './compute-cloud';

// The real `openstack` CLI (python-openstackclient + novaclient) against the compute API.
describe('openstack CLI against compute', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let osEnv: Record<string, string>;
  const os = (...args: string[]) => openstack(osEnv, args);

  beforeAll(async () => {
    env = await computeCloud();
    osEnv = cloudClientEnv(env.cloud);
  });
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('creates a flavor and a key pair, boots a server with --wait, acts on it and deletes it', async () => {
    const flavor = await os(
      'flavor',
      'create',
      '--ram',
      '256',
      '--vcpus',
      '1',
      '--disk',
      '1',
      'cli.small',
      '-f',
      'json',
    );
    expect(flavor).toMatchObject({ name: 'cli.small', ram: 256, vcpus: 1, disk: 1 });
    // Without a public key, the cloud generates the pair and the CLI prints the private key.
    const privateKey = await os('keypair', 'create', 'cli-key');
    expect(privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const key = await os('keypair', 'show', 'cli-key', '-f', 'json');
    expect(key).toMatchObject({ name: 'cli-key', type: 'ssh' });
    expect(key.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const server = await os(
      'server',
      'create',
      '--flavor',
      'cli.small',
      '--image',
      env.imageId,
      '--network',
      'private',
      '--key-name',
      'cli-key',
      '--wait',
      'cli-vm',
      '-f',
      'json',
    );
    expect(server).toMatchObject({ name: 'cli-vm', status: 'ACTIVE', key_name: 'cli-key' });
    const list = await os('server', 'list', '-f', 'json');
    expect(list).toEqual([
      expect.objectContaining({ Name: 'cli-vm', Status: 'ACTIVE', Flavor: 'cli.small' }),
    ]);
    expect(list[0].Networks).toHaveProperty('private');
    await os('server', 'stop', 'cli-vm');
    await waitServer(env.compute, server.id, (s) => s.status === 'SHUTOFF');
    await os('server', 'start', 'cli-vm');
    await waitServer(env.compute, server.id, (s) => s.status === 'ACTIVE');
    await os('server', 'reboot', '--hard', '--wait', 'cli-vm');
    const events = await os('server', 'event', 'list', 'cli-vm', '-f', 'json');
    expect(events.map((e: { Action: string }) => e.Action)).toEqual(['reboot', 'start', 'stop', 'create']);
    await os('server', 'delete', '--wait', 'cli-vm');
    expect(await os('server', 'list', '-f', 'json')).toEqual([]);
  }, 240_000);
});
