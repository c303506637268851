import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { aggregatesMigration } from './0002-aggregates';
import { migrationsMigration } from './0010-migrations';
import { serverGroupsMigration } from './0020-server-groups';
import { quotaClassesMigration } from './0021-quota-classes';
import { blockDeviceMappingsMigration } from './0030-block-device-mappings';
import { instanceListIndexMigration } from './0040-instance-list-index';

/** The compute service's migrations, in apply order. */
export const computeMigrations: Migration[] = [
  initialMigration,
  aggregatesMigration,
  serverGroupsMigration,
  quotaClassesMigration,
  migrationsMigration,
  blockDeviceMappingsMigration,
  instanceListIndexMigration,
];
