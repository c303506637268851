import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { domainConfigMigration } from './0002-domain-config';
import { endpointFilterMigration } from './0003-endpoint-filter';
import { endpointPolicyMigration } from './0004-endpoint-policy';

/** Identity's migrations, in apply order. */
export const identityMigrations: Migration[] = [
  initialMigration,
  domainConfigMigration,
  endpointFilterMigration,
  endpointPolicyMigration,
];
