import type { PersonaCloud } from '../persona-cloud';
import { must, type RuleRequest, type ServiceRuleRequests } from '../rule-request';

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;
const root = (fx: PersonaCloud) => fx.as('systemAdmin', 'identity');

/** A rule that checks nothing of the target: system-wide resources (roles, services, regions). */
const plain = (rule: string, method: string, path: string, body?: RuleRequest['body']): RuleRequest => ({
  rule: `identity:${rule}`,
  method,
  path,
  ...(body !== undefined ? { body } : {}),
});

/** A fresh user of the personas' domain. */
async function user(fx: PersonaCloud): Promise<Record<string, string>> {
  const u = await must(root(fx), 'POST', '/v3/users', {
    user: { name: unique('u'), domain_id: fx.domainId },
  });
  return { id: u.user.id };
}

/** A fresh group of the personas' domain. */
async function group(fx: PersonaCloud): Promise<Record<string, string>> {
  const g = await must(root(fx), 'POST', '/v3/groups', {
    group: { name: unique('g'), domain_id: fx.domainId },
  });
  return { id: g.group.id };
}

/** Keystone's rules as HTTP requests. */
export const identityRequests: ServiceRuleRequests = {
  service: 'identity',
  requests: [
    plain('list_domains', 'GET', '/v3/domains'),
    plain('create_domain', 'POST', '/v3/domains', () => ({ domain: { name: unique('d') } })),
    {
      rule: 'identity:get_domain',
      method: 'GET',
      path: ({ fx }) => `/v3/domains/${fx.domainId}`,
      target: ({ fx }) => ({ target: { domain: { id: fx.domainId } } }),
    },
    plain('list_roles', 'GET', '/v3/roles'),
    plain('create_role', 'POST', '/v3/roles', () => ({ role: { name: unique('r') } })),
    {
      rule: 'identity:get_role',
      method: 'GET',
      path: ({ fx }) => `/v3/roles/${fx.roles.reader}`,
    },
    plain('list_services', 'GET', '/v3/services'),
    plain('create_service', 'POST', '/v3/services', () => ({ service: { type: unique('t'), name: 'x' } })),
    plain('list_endpoints', 'GET', '/v3/endpoints'),
    plain('list_regions', 'GET', '/v3/regions'),
    plain('create_region', 'POST', '/v3/regions', () => ({ region: { id: unique('region') } })),
    {
      rule: 'identity:get_user',
      method: 'GET',
      path: ({ made }) => `/v3/users/${made.id}`,
      setup: user,
      target: ({ fx, made }) => ({ target: { user: { id: made.id, domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:create_user',
      method: 'POST',
      path: '/v3/users',
      body: ({ fx }) => ({ user: { name: unique('new'), domain_id: fx.domainId } }),
      target: ({ fx }) => ({ target: { user: { domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:delete_user',
      method: 'DELETE',
      path: ({ made }) => `/v3/users/${made.id}`,
      setup: user,
      target: ({ fx, made }) => ({ target: { user: { id: made.id, domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:get_project',
      method: 'GET',
      path: ({ fx }) => `/v3/projects/${fx.projectA}`,
      target: ({ fx }) => ({ target: { project: { id: fx.projectA, domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:create_project',
      method: 'POST',
      path: '/v3/projects',
      body: ({ fx }) => ({ project: { name: unique('p'), domain_id: fx.domainId } }),
      target: ({ fx }) => ({ target: { project: { domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:get_group',
      method: 'GET',
      path: ({ made }) => `/v3/groups/${made.id}`,
      setup: group,
      target: ({ fx, made }) => ({ target: { group: { id: made.id, domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:create_group',
      method: 'POST',
      path: '/v3/groups',
      body: ({ fx }) => ({ group: { name: unique('g'), domain_id: fx.domainId } }),
      target: ({ fx }) => ({ target: { group: { domain_id: fx.domainId } } }),
    },
    {
      rule: 'identity:delete_group',
      method: 'DELETE',
      path: ({ made }) => `/v3/groups/${made.id}`,
      setup: group,
      target: ({ fx, made }) => ({ target: { group: { id: made.id, domain_id: fx.domainId } } }),
    },
  ],
  unreachable: {},
};
