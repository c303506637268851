import type { Migration } from '@nimbus/db';
import { initialMigration } from './0001-initial';
import { listIndexesMigration } from './0002-list-indexes';
import { metadefsMigration } from './0003-metadefs';
import { locationsAndTasksMigration } from './0004-locations-and-tasks';
import { listGenerationMigration } from './0005-list-generation';

/** The image service's migrations, in apply order. */
export const imageMigrations: Migration[] = [
  initialMigration,
  listIndexesMigration,
  metadefsMigration,
  locationsAndTasksMigration,
  listGenerationMigration,
];
