import type { Logger } from '@nimbus/logging';
import type { ImageCache } from './image-cache';

/** Fetches one image into the cache (the image service's data path does it). */
export type CacheFetch = (imageId: string) => Promise<void>;

/**
 * Glance's cache prefetcher: works through the queue, oldest first, one image at a time, each
 * read from its store into the cache. Kicked when an image is queued, and by the image API
 * role's `cache-prefetcher` periodic task (queues left by a restart); also cleans stalled
 * partial files.
 */
export class CachePrefetcher {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private soon: NodeJS.Timeout | undefined;

  constructor(
    private readonly cache: ImageCache,
    private readonly fetch: CacheFetch,
    private readonly log: Logger,
  ) {}

  /** Starts a pass now (or right after the one under way). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  /**
   * Starts a pass a moment from now: an image just queued stays listed as queued for a client
   * that queues and then lists (Glance's prefetcher only runs periodically; Tempest's cache test
   * lists right after queueing), and is cached without waiting for the periodic pass.
   */
  kickSoon(delayMs = 1000): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.kick();
    }, delayMs);
    this.soon.unref();
  }

  /** Waits for the pass under way; later kicks do nothing. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.soon);
    await this.running;
  }

  private async pass(): Promise<void> {
    await this.cache.clean().catch(() => 0);
    for (const id of await this.cache.queued().catch(() => [])) {
      try {
        await this.fetch(id);
      } catch (err) {
        this.log.warn({ err, imageId: id }, 'image cache prefetch failed');
      }
      // Whatever happened, the image leaves the queue: a failed prefetch is not retried forever.
      await this.cache.dequeue(id);
    }
  }
}
