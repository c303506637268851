import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { mapDriverError } from './db-errors';
import { registerSqliteHandle } from './sqlite-handle';

/** The SQL dialects Nimbus runs on. */
export type Dialect = 'sqlite' | 'postgres' | 'mariadb';

/** An open database of one service. */
export interface Database<T = any> {
  readonly dialect: Dialect;
  readonly kysely: Kysely<T>;
  /**
   * Runs `fn` in a transaction; a nested call joins the outer one. Unique and foreign-key
   * violations come out as DuplicateEntryError / ReferenceViolationError on every dialect.
   */
  transaction<R>(fn: (trx: Kysely<T>) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** Where to open a service's database. */
export interface OpenDatabaseInput {
  /**
   * `sqlite:///abs/file.db`, `sqlite::memory:`, `postgresql://user@host:5432[/db]` or
   * `mysql://user@host:3306[/db]`. A server URL without a database name gets `nimbus_<service>`,
   * created on first use, so each service owns its own database.
   */
  url: string;
  service: string;
}

/** The database name a service uses on a shared server. */
export function serviceDatabaseName(service: string): string {
  return `nimbus_${service.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
}

/** Opens (and on servers creates) a service's database. */
export async function openDatabase<T = any>(input: OpenDatabaseInput): Promise<Database<T>> {
  const { url } = input;
  if (url.startsWith('sqlite:')) return openSqlite<T>(url === 'sqlite::memory:' ? ':memory:' : url.replace(/^sqlite:\/\//, ''));
  const parsed = new URL(url);
  const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || serviceDatabaseName(input.service);
  if (parsed.protocol === 'postgresql:' || parsed.protocol === 'postgres:') return openPostgres<T>(parsed, dbName);
  if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') return openMariadb<T>(parsed, dbName);
  throw new Error(`unsupported database URL scheme ${parsed.protocol} (use sqlite://, postgresql:// or mysql://)`);
}

async function openSqlite<T>(path: string): Promise<Database<T>> {
  const { default: SQLite } = await import('better-sqlite3');
  const handle = new SQLite(path);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  const kysely = new Kysely<T>({ dialect: new SqliteDialect({ database: withBooleanParameters(handle) }) });
  registerSqliteHandle(kysely, handle);
  return wrap<T>('sqlite', kysely);
}

async function openPostgres<T>(url: URL, dbName: string): Promise<Database<T>> {
  const pg = (await import('pg')).default;
  // int8 (bigint) and numeric come back as strings by default: sizes of objects and images need numbers.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const base = { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || 'postgres'), password: decodeURIComponent(url.password) || undefined };
  const admin = new pg.Client({ ...base, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${dbName.replaceAll('"', '')}"`).catch(ignoreAlreadyExists);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ ...base, database: dbName, max: 10 });
  // An idle pooled connection the server closes (a restart, a dropped database) emits 'error' on
  // the pool; without a listener that would crash the process. The next query reports it instead.
  pool.on('error', () => {});
  return wrap<T>('postgres', new Kysely<T>({ dialect: new PostgresDialect({ pool }) }));
}

async function openMariadb<T>(url: URL, dbName: string): Promise<Database<T>> {
  const mysql = await import('mysql2');
  const base = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password) || undefined };
  const admin = mysql.createConnection(base).promise();
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${dbName.replaceAll('`', '')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const pool = mysql.createPool({ ...base, database: dbName, connectionLimit: 10, supportBigNumbers: true, bigNumberStrings: false, timezone: 'Z' });
  return wrap<T>('mariadb', new Kysely<T>({ dialect: new MysqlDialect({ pool }) }));
}

type SqliteHandle = import('better-sqlite3').Database;

/** Prepared statements kept per SQLite database. */
const STATEMENT_CACHE = 500;

/** SQLite has no boolean type and better-sqlite3 refuses JS booleans: bind them as 1/0, as the others store them. */
function withBooleanParameters(handle: SqliteHandle): SqliteHandle {
  const statements = new Map<string, import('better-sqlite3').Statement>();
  const one = (p: unknown) => (p === true ? 1 : p === false ? 0 : p);
  const fix = (args: unknown[]) => args.map((a) => (Array.isArray(a) ? a.map(one) : one(a)));
  return new Proxy(handle, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        // Statements are compiled once per SQL text and reused (an LRU of STATEMENT_CACHE): most
        // of a small query's time is SQLite preparing it. A statement still iterating is busy:
        // then a fresh one is prepared for this call.
        let stmt = statements.get(source);
        if (stmt && !stmt.busy) {
          statements.delete(source);
          statements.set(source, stmt);
        } else {
          stmt = target.prepare(source);
          if (!statements.has(source)) {
            statements.set(source, stmt);
            if (statements.size > STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
          }
        }
        return new Proxy(stmt, {
          get(s, key) {
            const v = Reflect.get(s, key);
            if (key === 'all' || key === 'run' || key === 'get' || key === 'iterate') return (...args: unknown[]) => (v as (...a: unknown[]) => unknown).apply(s, fix(args));
            return typeof v === 'function' ? v.bind(s) : v;
          },
        });
      };
    },
  });
}

function ignoreAlreadyExists(err: { code?: string }): void {
  if (err.code !== '42P04' && err.code !== '23505') throw err;
}

function wrap<T>(dialect: Dialect, kysely: Kysely<T>): Database<T> {
  // The open transaction of each async call chain: a nested call (made from inside `fn`) joins
  // it; a concurrent caller, on another chain, gets its own (on SQLite it waits for the one
  // connection until the first commits or rolls back).
  const open = new AsyncLocalStorage<Transaction<T>>();
  return {
    dialect,
    kysely,
    async transaction(fn) {
      const current = open.getStore();
      if (current) return fn(current);
      try {
        return await kysely.transaction().execute((trx) => open.run(trx, () => fn(trx)));
      } catch (err) {
        throw mapDriverError(err);
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}

/** Runs a statement and maps driver errors to Nimbus errors (for repositories outside transactions). */
export async function run<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    throw mapDriverError(err);
  }
}

export { sql };
