import type { Logger } from '@nimbus/logging';
import type { RingNode } from '../ring/ring';
import type { NodeClient } from '../storage/node-client';
import { listPending, readPending, removePending } from '../storage/object/object-server';

/**
 * The object updater: replays container updates object servers could not deliver (the
 * `async_pending` files), so listings catch up with the objects once the container is back.
 */
export class ObjectUpdater {
  constructor(
    private readonly root: string,
    private readonly nodes: NodeClient,
    private readonly localDevices: () => RingNode[],
    private readonly log: Logger,
  ) {}

  async runOnce(): Promise<{ replayed: number; failed: number }> {
    let replayed = 0;
    let failed = 0;
    for (const dev of this.localDevices()) {
      for (const file of await listPending(this.root, dev.device)) {
        const update = await readPending(file);
        if (!update) {
          await removePending(file);
          continue;
        }
        const res = await this.nodes.request(
          update.node,
          update.part,
          update.op,
          `/${update.account}/${update.container}/${update.obj}`,
          update.headers,
        );
        if (res.status >= 200 && res.status < 300) {
          await removePending(file);
          replayed++;
        } else {
          failed++;
          this.log.debug({ file, status: res.status }, 'container update still failing');
        }
      }
    }
    return { replayed, failed };
  }
}
