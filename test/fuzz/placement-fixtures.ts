import { randomUUID } from 'node:crypto';
import { api } from './cloud-api';
import type { FuzzCloud } from './fuzz-cloud';
import type { FuzzSession } from './fuzz-session';

/** Adds values for a path parameter key (`resource_providers/:uuid`, `consumer_uuid`). */
export type AddTarget = (key: string, ...values: (string | undefined)[]) => void;

const V = { 'openstack-api-version': 'placement 1.39' };

/**
 * Makes Placement's scratch resources: a provider tree with inventories, a custom resource
 * class and trait, an aggregate and an allocation. A resource that cannot be made is left out.
 */
export async function makePlacementTargets(cloud: FuzzCloud, s: FuzzSession, add: AddTarget): Promise<void> {
  const call = (method: string, path: string, body?: unknown) =>
    api(cloud, 'placement', method, path, { token: s.admin, body, headers: V }).catch(() => undefined);
  const provider = async (name: string, parent?: string) => {
    const a = await call('POST', '/resource_providers', { name, parent_provider_uuid: parent });
    return a && a.status < 300 ? (a.json?.uuid as string | undefined) : undefined;
  };
  await call('PUT', '/resource_classes/CUSTOM_FUZZ');
  await call('PUT', '/traits/CUSTOM_FUZZ_TRAIT');
  const root = await provider('fuzz-rp');
  const child = await provider('fuzz-rp-child', root);
  const empty = await provider('fuzz-rp-empty');
  add('resource_providers/:uuid', root, child, empty);
  if (root) {
    await call('PUT', `/resource_providers/${root}/inventories`, {
      resource_provider_generation: 0,
      inventories: { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 }, CUSTOM_FUZZ: { total: 4 } },
    });
    await call('PUT', `/resource_providers/${root}/aggregates`, {
      aggregates: [randomUUID()],
      resource_provider_generation: 1,
    });
    await call('PUT', `/resource_providers/${root}/traits`, {
      traits: ['CUSTOM_FUZZ_TRAIT'],
      resource_provider_generation: 2,
    });
  }
  if (child) {
    await call('PUT', `/resource_providers/${child}/inventories`, {
      resource_provider_generation: 0,
      inventories: { DISK_GB: { total: 100 } },
    });
  }
  const consumer = randomUUID();
  if (root) {
    const a = await call('PUT', `/allocations/${consumer}`, {
      allocations: { [root]: { resources: { VCPU: 1, MEMORY_MB: 512 } } },
      project_id: s.adminProjectId,
      user_id: randomUUID(),
      consumer_generation: null,
    });
    if (a && a.status < 300) add('allocations/:consumer_uuid', consumer);
  }
  add('allocations/:consumer_uuid', randomUUID());
  add('resource_classes/:name', 'CUSTOM_FUZZ', 'VCPU', 'CUSTOM_FUZZ2');
  add('inventories/:resource_class', 'VCPU', 'MEMORY_MB', 'CUSTOM_FUZZ', 'DISK_GB');
  add('traits/:name', 'CUSTOM_FUZZ_TRAIT', 'HW_CPU_X86_AVX', 'CUSTOM_FUZZ_TRAIT2');
}
