import { cloudClientEnv, openstack } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCloud, waitServer } from './compute-cloud';

// The real `openstack` CLI for server moves: resize + --confirm, migrate, event list.
describe('openstack CLI: resize, migrate, server events', () => {
  let env: Awaited<ReturnType<typeof computeCloud>>;
  let osEnv: Record<string, string>;
  const os = (...args: string[]) => openstack(osEnv, args);

  beforeAll(async () => {
    env = await computeCloud();
    osEnv = cloudClientEnv(env.cloud);
  }, 120_000);
  afterAll(async () => {
    await env?.cloud.stop();
  });

  it('resizes with --wait, confirms, migrates, and lists the events', async () => {
    await os('flavor', 'create', '--ram', '1024', '--vcpus', '2', '--disk', '2', 'cli.big', '-f', 'json');
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
      'cli-mv',
      '-f',
      'json',
    );
    const first = server['OS-EXT-SRV-ATTR:host'];
    await os('server', 'resize', '--flavor', 'cli.big', '--wait', server.id);
    let shown = await os('server', 'show', server.id, '-f', 'json');
    expect(shown.status).toBe('VERIFY_RESIZE');
    await os('server', 'resize', 'confirm', server.id);
    shown = await waitServer(env.compute, server.id, (s) => s.status === 'ACTIVE');
    expect(shown.flavor.id).not.toBe(env.flavorId);
    const resizedOn = shown['OS-EXT-SRV-ATTR:host'];
    expect(resizedOn).not.toBe(first);
    await os('server', 'migrate', '--wait', server.id);
    shown = await os('server', 'show', server.id, '-f', 'json');
    expect(shown.status).toBe('VERIFY_RESIZE');
    expect(shown['OS-EXT-SRV-ATTR:host']).not.toBe(resizedOn);
    await os('server', 'migrate', 'confirm', server.id);
    await waitServer(env.compute, server.id, (s) => s.status === 'ACTIVE');
    const events = await os('server', 'event', 'list', server.id, '-f', 'json');
    expect(events.map((e: any) => e.Action)).toEqual(
      expect.arrayContaining(['create', 'resize', 'confirmResize', 'migrate']),
    );
    const migrations = await os('server', 'migration', 'list', '--server', server.id, '-f', 'json');
    expect(migrations.map((m: any) => m.Status).sort()).toEqual(['confirmed', 'confirmed']);
  }, 300_000);
});
