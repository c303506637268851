import { defineRules } from '@nimbus/policy';
import { neutronRule } from './neutron-rule';

/** Neutron's Zed default rules of `base` (names and check strings as upstream). */
export const basePolicies = defineRules([
  neutronRule('context_is_admin', 'role:admin'),
  neutronRule('owner', 'tenant_id:%(tenant_id)s'),
  neutronRule('admin_or_owner', 'rule:context_is_admin or rule:owner'),
  neutronRule('context_is_advsvc', 'role:advsvc'),
  neutronRule('admin_or_network_owner', 'rule:context_is_admin or tenant_id:%(network:tenant_id)s'),
  neutronRule('admin_owner_or_network_owner', 'rule:owner or rule:admin_or_network_owner'),
  neutronRule('network_owner', 'tenant_id:%(network:tenant_id)s'),
  neutronRule('admin_only', 'rule:context_is_admin'),
  neutronRule('regular_user', ''),
  neutronRule('shared', 'field:networks:shared=True'),
  neutronRule('default', 'rule:admin_or_owner'),
  neutronRule('admin_or_ext_parent_owner', 'rule:context_is_admin or tenant_id:%(ext_parent:tenant_id)s'),
  neutronRule('ext_parent_owner', 'tenant_id:%(ext_parent:tenant_id)s'),
  neutronRule('sg_owner', 'tenant_id:%(security_group:tenant_id)s'),
]);
