import { randomUUID } from 'node:crypto';
import type { RequestScope, RuleRequest } from '../rule-request';

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

/** The proxy APIs live until 2.35. */
const headers = { 'openstack-api-version': 'compute 2.35' };
/** Nova checks these rules against the caller's own project. */
const own = ({ caller }: RequestScope) => ({ project_id: caller.projectId });
/** An id nothing has: an allowed caller gets 404 from the network service, a denied one 403 first. */
const missing = () => randomUUID();

const proxy = (
  rule: string,
  method: string,
  path: string | (() => string),
  body?: () => unknown,
): RuleRequest => ({
  rule,
  method,
  path,
  headers,
  target: own,
  ...(body ? { body } : {}),
});

/**
 * Nova's proxy API rules (security groups, floating IPs, networks) as HTTP requests. The server
 * actions and the server's group list need a booted server, like every server rule still pending.
 */
export const computeProxyRequests: readonly RuleRequest[] = [
  proxy('os_compute_api:os-security-groups:get', 'GET', '/os-security-groups'),
  proxy('os_compute_api:os-security-groups:show', 'GET', () => `/os-security-groups/${missing()}`),
  proxy('os_compute_api:os-security-groups:create', 'POST', '/os-security-groups', () => ({
    security_group: { name: unique('sg'), description: '' },
  })),
  proxy(
    'os_compute_api:os-security-groups:update',
    'PUT',
    () => `/os-security-groups/${missing()}`,
    () => ({
      security_group: { name: 'x', description: '' },
    }),
  ),
  proxy('os_compute_api:os-security-groups:delete', 'DELETE', () => `/os-security-groups/${missing()}`),
  proxy('os_compute_api:os-security-groups:rule:create', 'POST', '/os-security-group-rules', () => ({
    security_group_rule: { parent_group_id: missing(), ip_protocol: 'tcp', from_port: 22, to_port: 22 },
  })),
  proxy(
    'os_compute_api:os-security-groups:rule:delete',
    'DELETE',
    () => `/os-security-group-rules/${missing()}`,
  ),
  proxy('os_compute_api:os-floating-ips:list', 'GET', '/os-floating-ips'),
  proxy('os_compute_api:os-floating-ips:show', 'GET', () => `/os-floating-ips/${missing()}`),
  proxy('os_compute_api:os-floating-ips:create', 'POST', '/os-floating-ips', () => ({
    pool: unique('pool'),
  })),
  proxy('os_compute_api:os-floating-ips:delete', 'DELETE', () => `/os-floating-ips/${missing()}`),
  { rule: 'os_compute_api:os-floating-ip-pools', method: 'GET', path: '/os-floating-ip-pools', headers },
  proxy('os_compute_api:os-networks:list', 'GET', '/os-networks'),
  proxy('os_compute_api:os-networks:show', 'GET', () => `/os-networks/${missing()}`),
  proxy('os_compute_api:os-tenant-networks:list', 'GET', '/os-tenant-networks'),
  proxy('os_compute_api:os-tenant-networks:show', 'GET', () => `/os-tenant-networks/${missing()}`),
];
