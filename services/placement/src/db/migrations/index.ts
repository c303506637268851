import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { usageIndexMigration } from './0002-usage-index';

/** The placement service's migrations, in apply order. */
export const placementMigrations: Migration[] = [initialMigration, usageIndexMigration];
