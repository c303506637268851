import type { Logger } from '@nimbus/logging';
import { nowTimestamp } from '@nimbus/db';
import type { ImageRepository } from '../db/repositories/image-repository';
import type { ImageStores } from '../drivers/store/image-stores';

/**
 * Glance's scrubber: with `delayed_delete`, a deleted image waits in pending_delete for
 * `scrub_time` seconds (time to restore it) before this deletes its data from every store and
 * marks it deleted. The image-scrubber role runs a pass every `wakeup_time` seconds; a store
 * that fails leaves the image for the next pass.
 */
export class ImageScrubber {
  private running: Promise<number> | undefined;

  constructor(
    private readonly images: ImageRepository,
    private readonly stores: ImageStores,
    private readonly log: Logger,
    private readonly scrubSeconds: number,
  ) {}

  /** One pass; resolves with how many images it finished deleting. */
  scrub(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const before = nowTimestamp(new Date(Date.now() - this.scrubSeconds * 1000));
    let done = 0;
    for (;;) {
      const due = await this.images.pendingDeletes(before, 100);
      let progressed = false;
      for (const image of due) {
        try {
          for (const l of image.locations) await this.stores.get(l.store).delete(l.url);
          await this.images.finishDelete(image.id);
          done++;
          progressed = true;
        } catch (err) {
          this.log.warn({ err, imageId: image.id }, 'scrubber could not delete image data; will retry');
        }
      }
      if (due.length < 100 || !progressed) return done;
    }
  }
}
