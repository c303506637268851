import type { PersonaCloud } from '../persona-cloud';
import { must, type ServiceRuleRequests } from '../rule-request';
import { computeProxyRequests } from './compute-proxy-requests';

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

/** A fresh flavor, made by project A's admin (Nova's admin is any admin of a project). */
async function flavor(fx: PersonaCloud): Promise<Record<string, string>> {
  const f = await must(fx.as('projectAdmin', 'compute'), 'POST', '/flavors', {
    flavor: { name: unique('f'), ram: 64, vcpus: 1, disk: 1 },
  });
  return { id: f.flavor.id };
}

/** Nova's rules as HTTP requests. */
export const computeRequests: ServiceRuleRequests = {
  service: 'compute',
  requests: [
    {
      rule: 'os_compute_api:os-flavor-manage:create',
      method: 'POST',
      path: '/flavors',
      body: () => ({ flavor: { name: unique('new'), ram: 64, vcpus: 1, disk: 1 } }),
    },
    {
      rule: 'os_compute_api:os-flavor-manage:delete',
      method: 'DELETE',
      path: ({ made }) => `/flavors/${made.id}`,
      setup: flavor,
    },
    {
      rule: 'os_compute_api:os-keypairs:create',
      method: 'POST',
      path: '/os-keypairs',
      body: () => ({ keypair: { name: unique('k') } }),
      target: ({ caller }) => ({ user_id: caller.userId }),
    },
    {
      rule: 'os_compute_api:os-keypairs:index',
      method: 'GET',
      path: '/os-keypairs',
      target: ({ caller }) => ({ user_id: caller.userId }),
    },
    { rule: 'os_compute_api:os-availability-zone:list', method: 'GET', path: '/os-availability-zone' },
    {
      rule: 'os_compute_api:os-availability-zone:detail',
      method: 'GET',
      path: '/os-availability-zone/detail',
    },
    ...computeProxyRequests,
  ],
  unreachable: {},
};
