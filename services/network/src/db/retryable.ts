import { DuplicateEntryError } from '@nimbus/db';

/**
 * Whether a transaction lost a race and may run again: a duplicate key (an address, a MAC, a
 * segment another request took first), or a deadlock / serialization failure (MariaDB and
 * PostgreSQL under concurrent inserts).
 */
export function retryable(err: unknown): boolean {
  if (err instanceof DuplicateEntryError) return true;
  const code = String((err as { code?: unknown })?.code ?? '');
  return code === 'ER_LOCK_DEADLOCK' || code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
}

/** Runs `fn` (one whole transaction) again while it loses races, at most `attempts` times. */
export async function withRetries<R>(attempts: number, fn: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err) || attempt >= attempts) throw err;
    }
  }
}
