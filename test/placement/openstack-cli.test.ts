import { randomUUID } from 'node:crypto';
import { identityService } from '@nimbus/identity';
import { placementService } from '@nimbus/placement';
import { cloudClientEnv, openstack, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real `openstack` CLI with Debian's python3-osc-placement against identity and placement.
describe('openstack CLI against placement (osc-placement)', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;
  const os = (version: string, ...args: string[]) =>
    openstack(env, ['--os-placement-api-version', version, ...args]);

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, placementService], {
      identity: { password_hash_rounds: 4 },
    });
    env = cloudClientEnv(cloud);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('manages providers, inventories, classes, traits, aggregates, allocations and usages', async () => {
    const rp = await os('1.20', 'resource', 'provider', 'create', 'cli-node', '-f', 'json');
    expect(rp.name).toBe('cli-node');
    expect(rp.generation).toBe(0);
    const listed = await os('1.14', 'resource', 'provider', 'list', '-f', 'json');
    expect(listed.map((p: { uuid: string }) => p.uuid)).toContain(rp.uuid);
    const renamed = await os(
      '1.14',
      'resource',
      'provider',
      'set',
      '--name',
      'cli-node-2',
      rp.uuid,
      '-f',
      'json',
    );
    expect(renamed.name).toBe('cli-node-2');
    expect((await os('1.14', 'resource', 'provider', 'show', rp.uuid, '-f', 'json')).root_provider_uuid).toBe(
      rp.uuid,
    );

    await os('1.2', 'resource', 'class', 'create', 'CUSTOM_CLI_GPU');
    const classes = await os('1.2', 'resource', 'class', 'list', '-f', 'json');
    expect(classes.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['VCPU', 'CUSTOM_CLI_GPU']),
    );

    await os(
      '1.20',
      'resource',
      'provider',
      'inventory',
      'set',
      rp.uuid,
      '--resource',
      'VCPU=8',
      '--resource',
      'MEMORY_MB=4096',
      '--resource',
      'CUSTOM_CLI_GPU=2',
    );
    const inventories = await os('1.20', 'resource', 'provider', 'inventory', 'list', rp.uuid, '-f', 'json');
    expect(inventories.map((i: { resource_class: string }) => i.resource_class).sort()).toEqual([
      'CUSTOM_CLI_GPU',
      'MEMORY_MB',
      'VCPU',
    ]);
    await os(
      '1.20',
      'resource',
      'provider',
      'inventory',
      'delete',
      rp.uuid,
      '--resource-class',
      'CUSTOM_CLI_GPU',
    );
    await os('1.2', 'resource', 'class', 'delete', 'CUSTOM_CLI_GPU');

    await os('1.6', 'trait', 'create', 'CUSTOM_CLI_FAST');
    const traits = await os('1.6', 'trait', 'list', '-f', 'json');
    expect(traits.map((t: { name: string }) => t.name)).toContain('CUSTOM_CLI_FAST');
    const set = await os(
      '1.6',
      'resource',
      'provider',
      'trait',
      'set',
      '--trait',
      'CUSTOM_CLI_FAST',
      rp.uuid,
      '-f',
      'json',
    );
    expect(set.map((t: { name: string }) => t.name)).toEqual(['CUSTOM_CLI_FAST']);

    const agg = randomUUID();
    const aggregates = await os(
      '1.19',
      'resource',
      'provider',
      'aggregate',
      'set',
      '--aggregate',
      agg,
      '--generation',
      '3',
      rp.uuid,
      '-f',
      'json',
    );
    expect(aggregates.map((a: { uuid: string }) => a.uuid)).toEqual([agg]);

    const consumer = randomUUID();
    await os(
      '1.28',
      'resource',
      'provider',
      'allocation',
      'set',
      consumer,
      '--allocation',
      `rp=${rp.uuid},VCPU=2,MEMORY_MB=512`,
      '--project-id',
      'proj',
      '--user-id',
      'usr',
    );
    const shown = await os('1.28', 'resource', 'provider', 'allocation', 'show', consumer, '-f', 'json');
    expect(shown).toHaveLength(1);
    expect(shown[0].resources).toEqual({ VCPU: 2, MEMORY_MB: 512 });
    const usage = await os('1.9', 'resource', 'provider', 'usage', 'show', rp.uuid, '-f', 'json');
    expect(
      Object.fromEntries(
        usage.map((u: { resource_class: string; usage: number }) => [u.resource_class, u.usage]),
      ),
    ).toEqual({ VCPU: 2, MEMORY_MB: 512 });

    const candidates = await os(
      '1.29',
      'allocation',
      'candidate',
      'list',
      '--resource',
      'VCPU=1',
      '-f',
      'json',
    );
    expect(candidates.length).toBeGreaterThan(0);
    expect(JSON.stringify(candidates)).toContain(rp.uuid);

    await os('1.28', 'resource', 'provider', 'allocation', 'unset', consumer, '--provider', rp.uuid);
    expect(await os('1.28', 'resource', 'provider', 'allocation', 'show', consumer, '-f', 'json')).toEqual(
      [],
    );
    await os('1.14', 'resource', 'provider', 'delete', rp.uuid);
    const after = await os('1.14', 'resource', 'provider', 'list', '-f', 'json');
    expect(after.map((p: { uuid: string }) => p.uuid)).not.toContain(rp.uuid);
  }, 240_000);
});
