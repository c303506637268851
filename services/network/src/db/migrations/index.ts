import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { quotasMigration } from './0002-quotas';
import { segmentsMigration } from './0003-segments';
import { agentsMigration } from './0004-agents';
import { subnetPoolsMigration } from './0005-subnet-pools';
import { rbacPoliciesMigration } from './0006-rbac-policies';
import { portBindingsMigration } from './0007-port-bindings';
import { meteringMigration } from './0008-metering';
import { routerExtraAttributesMigration } from './0009-router-extra-attributes';
import { qosMigration } from './0010-qos';
import { addressGroupsMigration } from './0011-address-groups';
import { trunksMigration } from './0012-trunks';
import { ruleDuplicateIndexMigration } from './0901-rule-duplicate-index';

/** The network service's migrations, in apply order. */
export const networkMigrations: Migration[] = [
  initialMigration,
  quotasMigration,
  segmentsMigration,
  agentsMigration,
  subnetPoolsMigration,
  rbacPoliciesMigration,
  portBindingsMigration,
  meteringMigration,
  routerExtraAttributesMigration,
  qosMigration,
  addressGroupsMigration,
  trunksMigration,
  ruleDuplicateIndexMigration,
];
