import type { RuleDefault } from '@nimbus/policy';
import { authPolicies } from '../auth/auth-policies';
import { extensionPolicies } from '../ext/extension-policies';
import { basePolicies } from './base-policies';
import { corePolicies } from './core-policies';

/** Every policy default of identity, under Keystone's names. */
export const identityPolicies: RuleDefault[] = [
  ...basePolicies,
  ...authPolicies,
  ...corePolicies,
  ...extensionPolicies,
];
