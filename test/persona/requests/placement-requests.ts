import type { PersonaCloud } from '../persona-cloud';
import { must, type RuleRequest, type ServiceRuleRequests } from '../rule-request';

let serial = 0;
const unique = (prefix: string) => `${prefix}${process.pid}X${++serial}`;
const latest = { 'openstack-api-version': 'placement latest' };
const admin = (fx: PersonaCloud) => fx.as('systemAdmin', 'placement');

/** A fresh provider with 8 VCPU, a custom trait and a consumer holding 1 VCPU of it. */
async function provider(fx: PersonaCloud): Promise<Record<string, string>> {
  const call = admin(fx);
  const rp = await must(call, 'POST', '/resource_providers', { name: unique('rp') }, latest);
  const uuid = rp.uuid as string;
  await must(
    call,
    'PUT',
    `/resource_providers/${uuid}/inventories`,
    {
      resource_provider_generation: 0,
      inventories: { VCPU: { total: 8 } },
    },
    latest,
  );
  const consumer = crypto.randomUUID();
  await must(
    call,
    'PUT',
    `/allocations/${consumer}`,
    {
      allocations: { [uuid]: { resources: { VCPU: 1 } } },
      project_id: fx.projectA,
      user_id: fx.personas.projectMember.userId,
      consumer_generation: null,
      consumer_type: 'INSTANCE',
    },
    latest,
  );
  const trait = unique('CUSTOM_T');
  await must(call, 'PUT', `/traits/${trait}`, undefined, latest);
  const rc = unique('CUSTOM_RC');
  await must(call, 'PUT', `/resource_classes/${rc}`, undefined, latest);
  return { uuid, consumer, trait, rc, generation: '2' };
}

const rp = (rule: string, method: string, suffix: string, body?: RuleRequest['body']): RuleRequest => ({
  rule,
  method,
  path: ({ made }) => `/resource_providers/${made.uuid}${suffix}`,
  ...(body !== undefined ? { body } : {}),
  headers: latest,
  setup: provider,
});

const gen = ({ made }: { made: Record<string, string> }) => Number(made.generation);

/** Placement's rules as HTTP requests (all at the latest microversion). */
export const placementRequests: ServiceRuleRequests = {
  service: 'placement',
  requests: [
    {
      rule: 'placement:resource_providers:list',
      method: 'GET',
      path: '/resource_providers',
      headers: latest,
    },
    {
      rule: 'placement:resource_providers:create',
      method: 'POST',
      path: '/resource_providers',
      body: () => ({ name: unique('rp') }),
      headers: latest,
    },
    rp('placement:resource_providers:show', 'GET', ''),
    rp('placement:resource_providers:update', 'PUT', '', () => ({ name: unique('renamed') })),
    rp('placement:resource_providers:delete', 'DELETE', ''),
    rp('placement:resource_providers:inventories:list', 'GET', '/inventories'),
    rp('placement:resource_providers:inventories:create', 'POST', '/inventories', (s) => ({
      resource_class: 'MEMORY_MB',
      total: 1024,
      resource_provider_generation: gen(s),
    })),
    rp('placement:resource_providers:inventories:show', 'GET', '/inventories/VCPU'),
    rp('placement:resource_providers:inventories:update', 'PUT', '/inventories/VCPU', (s) => ({
      total: 16,
      resource_provider_generation: gen(s),
    })),
    rp('placement:resource_providers:inventories:delete', 'DELETE', '/inventories/MEMORY_MB'),
    rp('placement:resource_providers:aggregates:list', 'GET', '/aggregates'),
    rp('placement:resource_providers:aggregates:update', 'PUT', '/aggregates', (s) => ({
      aggregates: [crypto.randomUUID()],
      resource_provider_generation: gen(s),
    })),
    rp('placement:resource_providers:usages', 'GET', '/usages'),
    rp('placement:resource_providers:allocations:list', 'GET', '/allocations'),
    rp('placement:resource_providers:traits:list', 'GET', '/traits'),
    rp('placement:resource_providers:traits:update', 'PUT', '/traits', (s) => ({
      traits: [s.made.trait],
      resource_provider_generation: gen(s),
    })),
    rp('placement:resource_providers:traits:delete', 'DELETE', '/traits'),
    { rule: 'placement:resource_classes:list', method: 'GET', path: '/resource_classes', headers: latest },
    {
      rule: 'placement:resource_classes:create',
      method: 'POST',
      path: '/resource_classes',
      body: () => ({ name: unique('CUSTOM_NEW') }),
      headers: latest,
    },
    {
      rule: 'placement:resource_classes:show',
      method: 'GET',
      path: '/resource_classes/VCPU',
      headers: latest,
    },
    {
      rule: 'placement:resource_classes:update',
      method: 'PUT',
      path: () => `/resource_classes/${unique('CUSTOM_PUT')}`,
      headers: latest,
    },
    {
      rule: 'placement:resource_classes:delete',
      method: 'DELETE',
      path: ({ made }) => `/resource_classes/${made.rc}`,
      headers: latest,
      setup: provider,
    },
    { rule: 'placement:traits:list', method: 'GET', path: '/traits', headers: latest },
    { rule: 'placement:traits:show', method: 'GET', path: '/traits/HW_CPU_X86_AVX', headers: latest },
    {
      rule: 'placement:traits:update',
      method: 'PUT',
      path: () => `/traits/${unique('CUSTOM_NEW')}`,
      headers: latest,
    },
    {
      rule: 'placement:traits:delete',
      method: 'DELETE',
      path: ({ made }) => `/traits/${made.trait}`,
      headers: latest,
      setup: async (fx) => {
        const trait = unique('CUSTOM_DEL');
        await must(admin(fx), 'PUT', `/traits/${trait}`, undefined, latest);
        return { trait };
      },
    },
    {
      rule: 'placement:allocations:manage',
      method: 'POST',
      path: '/allocations',
      body: {},
      headers: latest,
    },
    {
      rule: 'placement:allocations:list',
      method: 'GET',
      path: ({ made }) => `/allocations/${made.consumer}`,
      headers: latest,
      setup: provider,
    },
    {
      rule: 'placement:allocations:update',
      method: 'PUT',
      path: () => `/allocations/${crypto.randomUUID()}`,
      body: ({ fx, made }) => ({
        allocations: { [made.uuid!]: { resources: { VCPU: 1 } } },
        project_id: fx.projectA,
        user_id: fx.personas.projectMember.userId,
        consumer_generation: null,
        consumer_type: 'INSTANCE',
      }),
      headers: latest,
      setup: provider,
    },
    {
      rule: 'placement:allocations:delete',
      method: 'DELETE',
      path: ({ made }) => `/allocations/${made.consumer}`,
      headers: latest,
      setup: provider,
    },
    {
      rule: 'placement:allocation_candidates:list',
      method: 'GET',
      path: '/allocation_candidates?resources=VCPU:1',
      headers: latest,
    },
    {
      rule: 'placement:reshaper:reshape',
      method: 'POST',
      path: '/reshaper',
      body: { inventories: {}, allocations: {} },
      headers: latest,
    },
    {
      rule: 'placement:usages',
      method: 'GET',
      path: ({ fx }) => `/usages?project_id=${fx.projectA}`,
      headers: latest,
      target: ({ fx }) => ({ project_id: fx.projectA }),
    },
  ],
  unreachable: {
    admin_api:
      "Placement's legacy admin rule, the deprecated rule of the system_* rules: no API call checks it by name.",
  },
};
