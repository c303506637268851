import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';

/** The block-storage service's migrations, in apply order. */
export const blockStorageMigrations: Migration[] = [initialMigration];
