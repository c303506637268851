import { ConflictError, NimbusError } from '@nimbus/errors';

/** A unique constraint was violated, on any dialect. */
export class DuplicateEntryError extends ConflictError {
  constructor(message = 'Duplicate entry', cause?: unknown) {
    super(message, { code: 'DB_DUPLICATE_ENTRY', cause });
  }
}

/** A foreign key was violated (a missing parent, or a child still referring to a row). */
export class ReferenceViolationError extends ConflictError {
  constructor(message = 'Referenced row missing or still referenced', cause?: unknown) {
    super(message, { code: 'DB_REFERENCE_VIOLATION', cause });
  }
}

/** Turns SQLite, PostgreSQL and MariaDB constraint errors into one pair of classes. */
export function mapDriverError(err: unknown): unknown {
  if (err instanceof NimbusError) return err;
  const e = err as { code?: string; errno?: number; message?: string };
  const code = String(e?.code ?? '');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505' || code === 'ER_DUP_ENTRY') {
    return new DuplicateEntryError(e.message, err);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503' || code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_ROW_IS_REFERENCED_2') {
    return new ReferenceViolationError(e.message, err);
  }
  return err;
}
