import { type DiskIo, nodeDiskIo } from '@nimbus/disk-faults';
import type { Logger } from '@nimbus/logging';
import type { RingNode } from '../ring/ring';
import type { NodeClient } from '../storage/node-client';
import { AsyncPendingStore } from '../storage/object/async-pending';

/** What one updater pass did. */
export interface UpdaterStats {
  /** Updates delivered (their files removed). */
  replayed: number;
  /** Updates left for the next pass: the container did not take them, or the file could not be read. */
  failed: number;
  /** Files that do not decode, moved to `<device>/quarantined/objects/`. */
  quarantined: number;
}

/**
 * The object updater: replays container updates object servers could not deliver (the
 * `async_pending` files), so listings catch up with the objects once the container is back.
 * A file is removed only once its update was delivered: one that cannot be read stays for the
 * next pass, one that does not decode is quarantined; each is logged with its cause.
 */
export class ObjectUpdater {
  private readonly pending: AsyncPendingStore;

  constructor(
    root: string,
    private readonly nodes: NodeClient,
    private readonly localDevices: () => RingNode[],
    private readonly log: Logger,
    io: DiskIo = nodeDiskIo,
  ) {
    this.pending = new AsyncPendingStore(root, log, io);
  }

  async runOnce(): Promise<UpdaterStats> {
    const stats: UpdaterStats = { replayed: 0, failed: 0, quarantined: 0 };
    for (const dev of this.localDevices()) {
      for (const file of await this.pending.list(dev.device)) await this.replay(file, stats);
    }
    return stats;
  }

  private async replay(file: string, stats: UpdaterStats): Promise<void> {
    const read = await this.pending.read(file);
    if (read.kind === 'gone') return;
    if (read.kind === 'unreadable') {
      stats.failed++;
      this.log.warn({ err: read.err, file }, 'cannot read an async pending update; left for the next pass');
      return;
    }
    if (read.kind === 'corrupt') {
      try {
        const to = await this.pending.quarantine(file);
        stats.quarantined++;
        this.log.error({ err: read.err, file, quarantinedTo: to }, 'async pending update quarantined');
      } catch (err) {
        stats.failed++;
        this.log.error(
          { err, reason: read.err, file },
          'cannot quarantine an async pending update; left in place',
        );
      }
      return;
    }
    const { update } = read;
    const res = await this.nodes.request(
      update.node,
      update.part,
      update.op,
      `/${update.account}/${update.container}/${update.obj}`,
      update.headers,
    );
    if (res.status < 200 || res.status >= 300) {
      stats.failed++;
      this.log.debug({ file, status: res.status }, 'container update still failing');
      return;
    }
    stats.replayed++;
    try {
      await this.pending.remove(file);
    } catch (err) {
      // Delivered: sending it again next pass is harmless (the container keeps the newest timestamp).
      this.log.warn({ err, file }, 'cannot remove a delivered async pending update');
    }
  }
}
