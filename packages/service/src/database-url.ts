import { join } from 'node:path';
import type { Config } from '@nimbus/config';
import { databaseOptions } from './common-options';

/**
 * The database URL of one service: its own SQLite file in the data directory by default, or its
 * own database on the configured server.
 */
export function databaseUrl(config: Config, dataDir: string, service: string): string {
  const server = config.group(databaseOptions).connection.trim();
  if (!server) return `sqlite://${join(dataDir, `${service}.db`)}`;
  return server;
}
