import { randomBytes } from 'node:crypto';
import { type Database, type Dialect, openDatabase } from './database';

/** Servers the scale-out tests use; override with NIMBUS_TEST_POSTGRES_URL / NIMBUS_TEST_MARIADB_URL. */
export const testServerUrls: Record<Exclude<Dialect, 'sqlite'>, string> = {
  postgres: process.env.NIMBUS_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432',
  mariadb: process.env.NIMBUS_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306',
};

/**
 * Opens a throwaway database (a unique name on the server, or SQLite in memory) that is dropped
 * on close. An unreachable server fails loudly, naming the script that starts it.
 */
export async function openTestDatabase<T = any>(dialect: Dialect, service = 'test'): Promise<Database<T>> {
  if (dialect === 'sqlite') return openDatabase<T>({ url: 'sqlite::memory:', service });
  const name = `nimbus_t_${service}_${randomBytes(4).toString('hex')}`;
  const server = testServerUrls[dialect];
  let db: Database<T>;
  try {
    db = await openDatabase<T>({ url: `${server}/${name}`, service });
  } catch (err) {
    throw new Error(
      `${dialect} at ${server} is not reachable (${(err as Error).message}): run 'bash scripts/ensure-databases.sh'`,
    );
  }
  return {
    ...db,
    async close() {
      await db.close();
      await dropDatabase(dialect, server, name);
    },
  };
}

/** Drops a database a test made on a server (PostgreSQL or MariaDB). */
export async function dropDatabase(dialect: Dialect, server: string, name: string): Promise<void> {
  const url = new URL(server);
  if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    const c = new pg.Client({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: url.username || 'postgres',
      database: 'postgres',
    });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  } else {
    const mysql = await import('mysql2');
    const c = mysql
      .createConnection({ host: url.hostname, port: Number(url.port || 3306), user: url.username || 'root' })
      .promise();
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.end();
  }
}

/** Every dialect, for suites that must behave the same on all three. */
export const allDialects: readonly Dialect[] = ['sqlite', 'postgres', 'mariadb'];
