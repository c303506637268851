/**
 * What a replicator last found in sync with each peer, and at what local state: a pass skips a
 * replica whose state is still the one recorded, so an idle host sends no requests per partition
 * or database. A record expires after `recheckMs`, so every replica is compared with its peers
 * that often anyway (a safety net for a peer that lost data without this host seeing a write,
 * as upstream's full passes are). In memory only: after a restart every replica is compared once.
 */
export class InSyncRecord {
  private readonly entries = new Map<string, { state: string; atMs: number }>();

  constructor(
    private readonly recheckMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `key` was found in sync at exactly `state`, less than `recheckMs` ago. */
  inSync(key: string, state: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (e.state === state && this.now() - e.atMs < this.recheckMs) return true;
    this.entries.delete(key);
    return false;
  }

  /** Records that `key` was in sync at `state` (a state read before the comparison began). */
  record(key: string, state: string): void {
    this.entries.set(key, { state, atMs: this.now() });
  }

  /** Forgets `key` (found out of sync, or its replica is gone). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
