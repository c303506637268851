import type { PersonaCloud } from '../persona-cloud';
import { must, type RequestScope, type RuleRequest, type ServiceRuleRequests } from '../rule-request';

/** Neutron answers 404 for what the caller may not see, 403 for what it sees but may not change. */
const hidden = [403, 404] as const;
const admin = (fx: PersonaCloud) => fx.as('projectAdmin', 'network');

/** Project A's admin makes a resource of project A (`network`, `router`, `security_group`) at `plural`. */
const resourceOfA = (kind: string, plural: string) => async (fx: PersonaCloud) => {
  const made = await must(admin(fx), 'POST', `/v2.0/${plural}`, { [kind]: { name: 'persona' } });
  return { id: made[kind].id as string };
};

/** Neutron's target of a resource of project A (a private network for networks). */
const ofA =
  (extra: Record<string, unknown> = {}) =>
  ({ fx }: RequestScope) => ({ project_id: fx.projectA, tenant_id: fx.projectA, ...extra });

const crud = (kind: string, plural: string, extra: Record<string, unknown> = {}): RuleRequest[] => [
  {
    rule: `create_${kind}`,
    method: 'POST',
    path: `/v2.0/${plural}`,
    // Made in project A by name. Neutron refuses a project_id other than the caller's own with
    // 400 (only admins may name another project) before it asks policy, as it refuses a caller
    // with no project at all; the 400 is a denial here.
    body: ({ fx }) => ({ [kind]: { name: 'persona-new', project_id: fx.projectA } }),
    target: ofA(extra),
    denied: [400, 403],
  },
  {
    rule: `get_${kind}`,
    method: 'GET',
    path: ({ made }) => `/v2.0/${plural}/${made.id}`,
    setup: resourceOfA(kind, plural),
    target: ofA(extra),
    denied: hidden,
  },
  {
    rule: `update_${kind}`,
    method: 'PUT',
    path: ({ made }) => `/v2.0/${plural}/${made.id}`,
    body: { [kind]: { name: 'renamed' } },
    setup: resourceOfA(kind, plural),
    target: ofA(extra),
    denied: hidden,
  },
  {
    rule: `delete_${kind}`,
    method: 'DELETE',
    path: ({ made }) => `/v2.0/${plural}/${made.id}`,
    setup: resourceOfA(kind, plural),
    target: ofA(extra),
    denied: hidden,
  },
];

/** Neutron's rules as HTTP requests. */
export const networkRequests: ServiceRuleRequests = {
  service: 'network',
  requests: [
    ...crud('network', 'networks', { shared: false, 'router:external': false }),
    ...crud('router', 'routers'),
    ...crud('security_group', 'security-groups'),
  ],
  unreachable: {},
};
