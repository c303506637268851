import type { Dialect } from './database';

/**
 * Portable column types, so one migration serves three dialects. Timestamps are stored as
 * ISO-8601 UTC strings with microseconds (`2026-11-24T19:10:00.123456Z`): they sort as text and
 * render in every OpenStack API's format without conversion.
 */
export const columnTypes = {
  id: 'varchar(64)',
  name: 'varchar(255)',
  timestamp: 'varchar(32)',
  /** JSON documents: text, encoded and decoded by `toJson` / `fromJson`. */
  json: 'text',
  bigint: 'bigint',
  boolean: 'boolean',
} as const;

/** The current time in the stored timestamp format (microsecond precision, UTC). */
export function nowTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Encodes a value for a JSON column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Decodes a JSON column. */
export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** Booleans come back as 0/1 from SQLite and MariaDB. */
export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** Whether the dialect reports booleans natively. */
export function hasNativeBoolean(dialect: Dialect): boolean {
  return dialect === 'postgres';
}

/**
 * Adds an auto-incrementing integer primary key the way each dialect spells it (`serial` on
 * PostgreSQL, `integer ... autoincrement` elsewhere).
 */
export function addSerialPrimaryKey<B extends { addColumn: (...args: any[]) => B }>(builder: B, dialect: Dialect, name = 'id'): B {
  return dialect === 'postgres'
    ? builder.addColumn(name, 'serial', (c: any) => c.primaryKey())
    : builder.addColumn(name, 'integer', (c: any) => c.primaryKey().autoIncrement());
}
