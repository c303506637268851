import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `router` (names and check strings as upstream). */
export const routerPolicies = defineRules([
  neutronRule('create_router', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['POST', '/routers']],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('create_router:distributed', 'rule:admin_only', {
    ops: [['POST', '/routers']],
    scope: ['project'],
  }),
  neutronRule('create_router:ha', 'rule:admin_only', { ops: [['POST', '/routers']], scope: ['project'] }),
  neutronRule(
    'create_router:external_gateway_info',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['POST', '/routers']], deprecated: 'rule:admin_or_owner', scope: ['project'] },
  ),
  neutronRule(
    'create_router:external_gateway_info:network_id',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['POST', '/routers']], deprecated: 'rule:admin_or_owner', scope: ['project'] },
  ),
  neutronRule('create_router:external_gateway_info:enable_snat', 'rule:admin_only', {
    ops: [['POST', '/routers']],
    scope: ['project'],
  }),
  neutronRule('create_router:external_gateway_info:external_fixed_ips', 'rule:admin_only', {
    ops: [['POST', '/routers']],
    scope: ['project'],
  }),
  neutronRule('get_router', 'rule:admin_only or role:reader and project_id:%(project_id)s', {
    ops: [
      ['GET', '/routers'],
      ['GET', '/routers/{id}'],
    ],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('get_router:distributed', 'rule:admin_only', {
    ops: [
      ['GET', '/routers'],
      ['GET', '/routers/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_router:ha', 'rule:admin_only', {
    ops: [
      ['GET', '/routers'],
      ['GET', '/routers/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('update_router', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/routers/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('update_router:distributed', 'rule:admin_only', {
    ops: [['PUT', '/routers/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_router:ha', 'rule:admin_only', { ops: [['PUT', '/routers/{id}']], scope: ['project'] }),
  neutronRule(
    'update_router:external_gateway_info',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['PUT', '/routers/{id}']], deprecated: 'rule:admin_or_owner', scope: ['project'] },
  ),
  neutronRule(
    'update_router:external_gateway_info:network_id',
    'rule:admin_only or role:member and project_id:%(project_id)s',
    { ops: [['PUT', '/routers/{id}']], deprecated: 'rule:admin_or_owner', scope: ['project'] },
  ),
  neutronRule('update_router:external_gateway_info:enable_snat', 'rule:admin_only', {
    ops: [['PUT', '/routers/{id}']],
    scope: ['project'],
  }),
  neutronRule('update_router:external_gateway_info:external_fixed_ips', 'rule:admin_only', {
    ops: [['PUT', '/routers/{id}']],
    scope: ['project'],
  }),
  neutronRule('delete_router', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['DELETE', '/routers/{id}']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('add_router_interface', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/routers/{id}/add_router_interface']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('remove_router_interface', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/routers/{id}/remove_router_interface']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('add_extraroutes', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/routers/{id}/add_extraroutes']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
  neutronRule('remove_extraroutes', 'rule:admin_only or role:member and project_id:%(project_id)s', {
    ops: [['PUT', '/routers/{id}/remove_extraroutes']],
    deprecated: 'rule:admin_or_owner',
    scope: ['project'],
  }),
]);
