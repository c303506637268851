import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { quotasMigration } from './0002-quotas';
import { segmentsMigration } from './0003-segments';
import { agentsMigration } from './0004-agents';
import { subnetPoolsMigration } from './0005-subnet-pools';
import { rbacPoliciesMigration } from './0006-rbac-policies';
import { portBindingsMigration } from './0007-port-bindings';

/** The network service's migrations, in apply order. */
export const networkMigrations: Migration[] = [
  initialMigration,
  quotasMigration,
  segmentsMigration,
  agentsMigration,
  subnetPoolsMigration,
  rbacPoliciesMigration,
  portBindingsMigration,
];
