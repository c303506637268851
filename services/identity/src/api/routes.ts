import type { Route } from '@nimbus/http';
import { roleAssignmentRoutes } from './assignment/role-assignment-controller';
import { grantRoutes } from './assignment/grant-controller';
import { roleRoutes } from './assignment/role-controller';
import { authRoutes } from './auth/auth-controller';
import { catalogRoutes } from './catalog/catalog-controller';
import { endpointFilterRoutes } from './catalog/endpoint-filter-controller';
import { endpointPolicyRoutes } from './catalog/endpoint-policy-controller';
import { extensionRoutes } from './ext/extension-routes';
import { domainConfigRoutes } from './resource/domain-config-controller';
import { domainRoutes } from './resource/domain-controller';
import { projectRoutes } from './resource/project-controller';
import { groupRoutes } from './user/group-controller';
import { userRoutes } from './user/user-controller';
import { versionRoutes } from './version/version-controller';

/** Every route of the identity API. */
export const identityRoutes: Route[] = [
  ...versionRoutes,
  ...authRoutes,
  ...domainRoutes,
  ...domainConfigRoutes,
  ...projectRoutes,
  ...userRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...grantRoutes,
  ...roleAssignmentRoutes,
  ...catalogRoutes,
  ...endpointFilterRoutes,
  ...endpointPolicyRoutes,
  ...extensionRoutes,
];
