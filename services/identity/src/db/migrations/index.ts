import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';

/** Identity's migrations, in apply order. */
export const identityMigrations: Migration[] = [initialMigration];
