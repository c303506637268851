import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { aggregatesMigration } from './0002-aggregates';

/** The compute service's migrations, in apply order. */
export const computeMigrations: Migration[] = [initialMigration, aggregatesMigration];
