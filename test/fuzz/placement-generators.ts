import fc from 'fast-check';
import type { FuzzTargets } from './fuzz-targets';
import { hostileJson, hostileString } from './hostile-values';

/** The microversion header of a Placement request: mostly the newest, sometimes any or a bad one. */
export const placementVersion: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({ 'openstack-api-version': 'placement 1.39' }), weight: 20 },
  {
    arbitrary: fc.integer({ min: 0, max: 39 }).map((m) => ({ 'openstack-api-version': `placement 1.${m}` })),
    weight: 8,
  },
  {
    arbitrary: fc
      .constantFrom(
        'placement latest',
        'placement 1.40',
        'placement 2.0',
        'placement 1.',
        'placement 01.010',
        'placement 1.39, placement 1.2',
        'compute 2.1',
        'placement -1.5',
        'placement 1.1e3',
      )
      .map((v) => ({ 'openstack-api-version': v })),
    weight: 2,
  },
  { arbitrary: fc.constant({}), weight: 2 },
);

/**
 * Valid-looking bodies for Placement's routes, which validate their bodies in the handlers.
 * Keyed like the route labels (`PUT /resource_providers/:uuid`).
 */
export function placementBodyHints(targets: FuzzTargets): Record<string, fc.Arbitrary<unknown>> {
  const known = targets.ids['resource_providers/:uuid'] ?? [];
  const rp = fc.oneof(
    {
      arbitrary: fc.constantFrom(...(known.length ? known : ['00000000-0000-0000-0000-000000000000'])),
      weight: 6,
    },
    { arbitrary: fc.uuid(), weight: 2 },
    { arbitrary: hostileString, weight: 1 },
  );
  const rc = fc.oneof(
    fc.constantFrom('VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_FUZZ', 'CUSTOM_', 'vcpu', 'CUSTOM_NOPE'),
    hostileString,
  );
  const trait = fc.oneof(
    fc.constantFrom('HW_CPU_X86_AVX', 'CUSTOM_FUZZ_TRAIT', 'CUSTOM_X', 'COMPUTE_STATUS_DISABLED', 'bogus'),
    hostileString,
  );
  const num = fc.oneof(
    { arbitrary: fc.integer({ min: -2, max: 64 }), weight: 6 },
    {
      arbitrary: fc.constantFrom(0, 2147483647, 2147483648, -2147483649, 1e308, 0.5, Number.MAX_SAFE_INTEGER),
      weight: 2,
    },
    { arbitrary: hostileJson, weight: 1 },
  );
  const generation = fc.oneof(
    { arbitrary: fc.integer({ min: -1, max: 4 }), weight: 6 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: hostileJson, weight: 1 },
  );
  const inventory = fc.record(
    {
      total: num,
      reserved: num,
      min_unit: num,
      max_unit: num,
      step_size: num,
      allocation_ratio: fc.oneof(fc.double({ min: -1, max: 100, noNaN: true }), hostileJson),
      bogus: hostileJson,
    },
    { requiredKeys: ['total'] },
  );
  const inventories = fc.dictionary(rc, inventory, { maxKeys: 3 });
  const resources = fc.dictionary(rc, num, { maxKeys: 3 });
  const allocationsDict = fc.dictionary(
    rp,
    fc.record({ resources, generation }, { requiredKeys: ['resources'] }),
    { maxKeys: 2 },
  );
  const allocationsList = fc.array(fc.record({ resource_provider: fc.record({ uuid: rp }), resources }), {
    maxLength: 2,
  });
  const consumer = fc.record(
    {
      allocations: fc.oneof(allocationsDict, allocationsList, hostileJson),
      project_id: fc.oneof(fc.uuid(), hostileString),
      user_id: fc.oneof(fc.uuid(), hostileString),
      consumer_generation: generation,
      consumer_type: fc.constantFrom('INSTANCE', 'MIGRATION', 'bogus', ''),
      mappings: fc.dictionary(fc.string({ maxLength: 6 }), fc.array(rp, { maxLength: 2 }), { maxKeys: 2 }),
    },
    { requiredKeys: ['allocations'] },
  );
  const aggregates = fc.array(fc.oneof(fc.uuid(), hostileString), { maxLength: 3 });
  return {
    'POST /resource_classes': fc.record({ name: rc }, { requiredKeys: [] }),
    'POST /resource_providers': fc.record(
      { name: fc.oneof(fc.string({ maxLength: 20 }), hostileString), uuid: rp, parent_provider_uuid: rp },
      { requiredKeys: [] },
    ),
    'PUT /resource_providers/:uuid': fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 20 }), hostileString),
        parent_provider_uuid: fc.oneof(rp, fc.constant(null)),
      },
      { requiredKeys: [] },
    ),
    'POST /resource_providers/:uuid/inventories': fc
      .tuple(rc, inventory)
      .map(([resource_class, inv]) => ({ resource_class, ...inv })),
    'PUT /resource_providers/:uuid/inventories': fc.record(
      { resource_provider_generation: generation, inventories },
      { requiredKeys: [] },
    ),
    'PUT /resource_providers/:uuid/inventories/:resource_class': fc
      .tuple(generation, inventory)
      .map(([resource_provider_generation, inv]) => ({ resource_provider_generation, ...inv })),
    'PUT /resource_providers/:uuid/aggregates': fc.oneof(
      aggregates,
      fc.record({ aggregates, resource_provider_generation: generation }, { requiredKeys: [] }),
    ),
    'POST /allocations': fc.dictionary(fc.oneof(fc.uuid(), hostileString), consumer, { maxKeys: 2 }),
    'PUT /allocations/:consumer_uuid': consumer,
    'PUT /resource_providers/:uuid/traits': fc.record(
      { traits: fc.array(trait, { maxLength: 3 }), resource_provider_generation: generation },
      { requiredKeys: [] },
    ),
    'POST /reshaper': fc.record(
      {
        inventories: fc.dictionary(rp, fc.record({ resource_provider_generation: generation, inventories }), {
          maxKeys: 2,
        }),
        allocations: fc.dictionary(fc.uuid(), consumer, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
  };
}

/** Query strings Placement's list routes parse by hand (resources, traits, member_of, trees, groups). */
export function placementQuery(targets: FuzzTargets): fc.Arbitrary<string> {
  const rp = targets.ids['resource_providers/:uuid']?.[0] ?? '00000000-0000-0000-0000-000000000000';
  const part = fc.constantFrom(
    'resources=VCPU:1',
    'resources=VCPU:1,MEMORY_MB:512,DISK_GB:1',
    'resources=CUSTOM_FUZZ:1',
    'resources=VCPU:0',
    'resources=VCPU:-1',
    'resources=VCPU',
    'resources=VCPU:1,VCPU:2',
    'resources=VCPU:99999999999999999999',
    'resources=:1',
    'resources1=VCPU:1&resources2=MEMORY_MB:1&group_policy=isolate',
    'resources_A=VCPU:1&required_A=HW_CPU_X86_AVX&group_policy=none',
    'resources1=VCPU:1&same_subtree=_1,_2',
    'resources1=VCPU:1',
    'group_policy=bogus',
    'required=HW_CPU_X86_AVX',
    'required=!CUSTOM_FUZZ_TRAIT',
    'required=in:HW_CPU_X86_AVX,CUSTOM_FUZZ_TRAIT',
    'required=in:',
    'required=!',
    'root_required=!COMPUTE_STATUS_DISABLED',
    `member_of=in:${rp},${rp}`,
    'member_of=!in:00000000-0000-0000-0000-000000000000',
    'member_of=in:not-a-uuid',
    `in_tree=${rp}`,
    'in_tree=not-a-uuid',
    `uuid=${rp}`,
    'name=fuzz-rp',
    'limit=1',
    'limit=0',
    'limit=-1',
    `project_id=${targets.ids['member_id']?.[0] ?? 'x'}`,
    'consumer_type=INSTANCE',
    'consumer_type=all',
    'consumer_type=unknown',
  );
  return fc.array(part, { minLength: 1, maxLength: 3 }).map((ps) => `?${ps.join('&')}`);
}
