import type { Logger } from '@nimbus/logging';
import { discardBody, readBody } from '../common/swift-http';
import { type SyncRealms, syncTarget } from '../middleware/container-sync';
import type { Backend } from '../proxy/backend';
import type { Ring, RingNode } from '../ring/ring';
import type { BrokerPool } from '../storage/db/broker-pool';
import type { ContainerBroker } from '../storage/db/container-broker';
import { markedDatabases } from '../storage/db/db-markers';
import { encodePath } from '../storage/node-client';

/**
 * The container sync daemon: for each container with `X-Container-Sync-To` whose first primary
 * replica is local, sends every object row written since its sync point to the destination
 * container (PUT with the original timestamp, or DELETE), authorized by the shared sync key.
 */
export class ContainerSyncer {
  constructor(
    private readonly root: string,
    private readonly ring: Ring,
    private readonly pool: BrokerPool<ContainerBroker>,
    private readonly backend: Backend,
    private readonly realms: SyncRealms,
    private readonly localDevices: () => RingNode[],
    private readonly log: Logger,
  ) {}

  async runOnce(): Promise<{ synced: number; failed: number }> {
    let synced = 0;
    let failed = 0;
    for (const dev of this.localDevices()) {
      for (const path of markedDatabases(this.root, dev.device, 'sync_containers')) {
        const broker = this.pool.get(path, false);
        if (!broker || broker.isDeleted()) continue;
        const info = broker.info();
        const meta = broker.liveMetadata();
        const to = meta['x-container-sync-to'];
        const key = meta['x-container-sync-key'];
        if (!to || !key || !info.account || !info.container) continue;
        const { nodes } = this.ring.nodes(info.account, info.container);
        if (nodes[0]?.id !== dev.id) continue;
        const target = syncTarget(to, this.realms);
        if (!target) continue;
        let point = Number(info.x_container_sync_point ?? 0);
        for (const row of broker.rowsSince(point, 1000)) {
          const ok = await this.syncRow(info.account, info.container, row, target, key);
          if (!ok) {
            failed++;
            break;
          }
          synced++;
          point = row.rowid;
          broker.setInfo({ x_container_sync_point: String(point) });
        }
      }
    }
    return { synced, failed };
  }

  private async syncRow(
    account: string,
    container: string,
    row: { name: string; created_at: string; deleted: number },
    target: string,
    key: string,
  ): Promise<boolean> {
    const url = `${target.replace(/\/$/, '')}${encodePath(`/${row.name}`)}`;
    try {
      if (row.deleted) {
        const res = await fetch(url, {
          method: 'DELETE',
          headers: { 'x-container-sync-key': key, 'x-timestamp': row.created_at },
        });
        await res.arrayBuffer();
        return res.ok || res.status === 404;
      }
      const src = await this.backend.read('object', 'GET', {}, account, container, row.name);
      if (src.status === 404) {
        discardBody(src.body);
        return true;
      }
      if (src.status !== 200) {
        discardBody(src.body);
        return false;
      }
      const body = await readBody(src.body);
      const headers: Record<string, string> = {
        'x-container-sync-key': key,
        'x-timestamp': src.headers['x-timestamp'] ?? row.created_at,
        'content-type': src.headers['content-type'] ?? 'application/octet-stream',
        etag: src.headers.etag ?? '',
      };
      for (const [k, v] of Object.entries(src.headers)) if (k.startsWith('x-object-meta-')) headers[k] = v;
      const res = await fetch(url, { method: 'PUT', headers, body });
      await res.arrayBuffer();
      if (!res.ok) this.log.debug({ url, status: res.status }, 'container sync PUT refused');
      return res.ok;
    } catch (err) {
      this.log.debug({ err, url }, 'container sync failed');
      return false;
    }
  }
}
