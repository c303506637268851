import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { quotasMigration } from './0002-quotas';

/** The network service's migrations, in apply order. */
export const networkMigrations: Migration[] = [initialMigration, quotasMigration];
