import type { Migration } from '@nimbus/db';
import { extensionTablesMigration } from './0100-extension-tables';

/** Migrations of identity's extension resources (ids from `0100-`), appended to core's by the service. */
export const extensionMigrations: Migration[] = [extensionTablesMigration];
