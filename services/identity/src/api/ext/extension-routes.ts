import type { Route } from '@nimbus/http';
import { applicationCredentialRoutes } from './application-credential-controller';
import { credentialRoutes } from './credential-controller';
import { federationRoutes } from './federation-controller';
import { limitRoutes } from './limit-controller';
import { oauth1Routes } from './oauth1-controller';
import { policyRoutes } from './policy-controller';
import { trustRoutes } from './trust-controller';

/**
 * The routes of identity's extension APIs (credentials and EC2/S3 tokens, application credentials
 * and access rules, trusts, unified limits, legacy policies, federation, OAuth1). Core spreads them
 * into its route table; their controllers read `req.services.extensions`.
 */
export const extensionRoutes: Route[] = [
  ...credentialRoutes,
  ...applicationCredentialRoutes,
  ...trustRoutes,
  ...limitRoutes,
  ...policyRoutes,
  ...federationRoutes,
  ...oauth1Routes,
];
