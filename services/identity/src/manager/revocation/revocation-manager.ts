import type { RevocationRepository } from '../../db/repositories/revocation-repository';
import type { RevocationEvent } from './revocation-event';
import { RevocationIndex } from './revocation-index';

/** What a caller says when revoking; times are filled in. */
export type RevocationRequest = Omit<RevocationEvent, 'issuedBefore' | 'revokedAt'>;

/**
 * Revocation events: persisted so every identity process sees them, and kept in an in-memory
 * index so validation costs no query. Other processes pick up new rows with `refresh()` (the
 * service runs it every `[token] revocation_refresh_seconds`). As Keystone does, events are
 * stamped at whole seconds and revoke every token issued at or before that second.
 */
export class RevocationManager {
  readonly index = new RevocationIndex();
  /** Grows whenever new events arrive: validation caches keyed on it drop their entries at once. */
  generation = 0;
  private lastId = 0;
  private readonly now: () => number;

  constructor(
    private readonly repo: RevocationRepository,
    /** How long an event matters: the token lifetime plus the allow-expired window, in seconds. */
    private readonly retentionSeconds: number,
    now?: () => number,
  ) {
    this.now = now ?? (() => Date.now() / 1000);
  }

  /** Records an event; it takes effect in this process at once. */
  async revoke(request: RevocationRequest): Promise<void> {
    const at = Math.floor(this.now());
    await this.repo.add({ ...request, issuedBefore: at, revokedAt: at });
    await this.refresh();
  }

  /** Loads events written since the last refresh (by this process or another). */
  async refresh(): Promise<void> {
    const { events, lastId } = await this.repo.since(this.lastId);
    for (const e of events) this.index.add(e);
    if (events.length) this.generation++;
    this.lastId = lastId;
  }

  /**
   * Drops validation caches without recording an event: for changes (a role or group membership
   * removed) that token validation re-reads anyway, since roles are computed at each validation.
   */
  invalidateCaches(): void {
    this.generation++;
  }

  /** Forgets events too old to match any token still accepted. */
  async prune(): Promise<void> {
    const cutoff = this.now() - this.retentionSeconds;
    this.index.prune(cutoff);
    await this.repo.prune(cutoff);
  }

  /** Events for `GET /v3/OS-REVOKE/events`. */
  list(since?: number): Promise<RevocationEvent[]> {
    return this.repo.list(since);
  }
}
