import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of agents, the DHCP / L3 agent schedulers and service providers (names and check strings as upstream). */
export const agentPolicies = defineRules([
  neutronRule('get_agent', 'rule:admin_only', {
    ops: [
      ['GET', '/agents'],
      ['GET', '/agents/{id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('update_agent', 'rule:admin_only', { ops: [['PUT', '/agents/{id}']], scope: ['project'] }),
  neutronRule('delete_agent', 'rule:admin_only', { ops: [['DELETE', '/agents/{id}']], scope: ['project'] }),
  neutronRule('create_dhcp-network', 'rule:admin_only', {
    ops: [['POST', '/agents/{agent_id}/dhcp-networks']],
    scope: ['project'],
  }),
  neutronRule('get_dhcp-networks', 'rule:admin_only', {
    ops: [['GET', '/agents/{agent_id}/dhcp-networks']],
    scope: ['project'],
  }),
  neutronRule('delete_dhcp-network', 'rule:admin_only', {
    ops: [['DELETE', '/agents/{agent_id}/dhcp-networks/{network_id}']],
    scope: ['project'],
  }),
  neutronRule('get_dhcp-agents', 'rule:admin_only', {
    ops: [['GET', '/networks/{network_id}/dhcp-agents']],
    scope: ['project'],
  }),
  neutronRule('create_l3-router', 'rule:admin_only', {
    ops: [['POST', '/agents/{agent_id}/l3-routers']],
    scope: ['project'],
  }),
  neutronRule('get_l3-routers', 'rule:admin_only', {
    ops: [['GET', '/agents/{agent_id}/l3-routers']],
    scope: ['project'],
  }),
  neutronRule('delete_l3-router', 'rule:admin_only', {
    ops: [['DELETE', '/agents/{agent_id}/l3-routers/{router_id}']],
    scope: ['project'],
  }),
  neutronRule('get_service_provider', 'role:reader', {
    ops: [['GET', '/service-providers']],
    deprecated: 'rule:regular_user',
    scope: ['project'],
  }),
  neutronRule('get_network_ip_availability', 'rule:admin_only', {
    ops: [
      ['GET', '/network-ip-availabilities'],
      ['GET', '/network-ip-availabilities/{network_id}'],
    ],
    scope: ['project'],
  }),
  neutronRule('get_l3-agents', 'rule:admin_only', {
    ops: [['GET', '/routers/{router_id}/l3-agents']],
    scope: ['project'],
  }),
]);
