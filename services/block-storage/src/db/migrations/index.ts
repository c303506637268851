import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { usageAndPagingMigration } from './0002-usage-and-paging';

/** The block-storage service's migrations, in apply order. */
export const blockStorageMigrations: Migration[] = [initialMigration, usageAndPagingMigration];
