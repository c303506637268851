import { isOneOf, isString, isUuid } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

/** The object types RBAC policies apply to here, and the actions of each. */
export const rbacActions: Readonly<Record<string, readonly string[]>> = {
  network: ['access_as_shared', 'access_as_external'],
};

const filtered = { filter: true, sort: true };

/** RBAC policies (`rbac-policies`): sharing an object with one project or all. */
export const rbacPolicyDefinition: ResourceDefinition = {
  resource: 'rbac_policy',
  collection: 'rbac_policies',
  path: '/rbac-policies',
  attributes: {
    id: { post: false, put: false, validate: isUuid, ...filtered },
    project_id: { post: true, put: false, validate: isString(255), ...filtered },
    tenant_id: { post: true, put: false, validate: isString(255), ...filtered },
    object_type: { post: true, put: false, validate: isOneOf(Object.keys(rbacActions)), ...filtered },
    object_id: { post: true, put: false, validate: isUuid, ...filtered },
    target_tenant: { post: true, put: true, validate: isString(255), ...filtered, enforcePolicy: true },
    action: {
      post: true,
      put: false,
      validate: isOneOf([...new Set(Object.values(rbacActions).flat())]),
      ...filtered,
    },
  },
};
