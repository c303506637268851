import type { Logger } from '@nimbus/logging';
import { discardBody, readBody } from '../common/swift-http';
import { newTimestamp } from '../common/timestamp';
import type { Backend } from '../proxy/backend';
import type { Ring, RingNode } from '../ring/ring';
import type { AccountBroker } from '../storage/db/account-broker';
import type { BrokerPool } from '../storage/db/broker-pool';
import { clearMarker, markedDatabases } from '../storage/db/db-markers';

/**
 * The account reaper: once an account is deleted (by a reseller admin), deletes every object
 * and container it still holds, from the replica whose device is the account's first primary.
 * Deleted accounts are found by the markers the account server leaves, so idle passes cost
 * nothing per account.
 */
export class AccountReaper {
  constructor(
    private readonly root: string,
    private readonly ring: Ring,
    private readonly pool: BrokerPool<AccountBroker>,
    private readonly backend: Backend,
    private readonly localDevices: () => RingNode[],
    private readonly log: Logger,
  ) {}

  async runOnce(): Promise<{ accounts: number; objects: number; containers: number }> {
    const done = { accounts: 0, objects: 0, containers: 0 };
    for (const dev of this.localDevices()) {
      for (const path of markedDatabases(this.root, dev.device, 'reap_accounts')) {
        const broker = this.pool.get(path, false);
        const account = broker?.info().account;
        if (!broker || !account || !broker.isDeleted()) {
          clearMarker(this.root, dev.device, 'reap_accounts', path);
          continue;
        }
        if (this.ring.nodes(account).nodes[0]?.id !== dev.id) continue;
        const emptied = await this.reap(broker, account, done);
        if (emptied) {
          clearMarker(this.root, dev.device, 'reap_accounts', path);
          done.accounts++;
          this.log.info({ account }, 'account reaped');
        }
      }
    }
    return done;
  }

  /** Deletes what an account holds; answers whether nothing is left. */
  private async reap(
    broker: AccountBroker,
    account: string,
    done: { objects: number; containers: number },
  ): Promise<boolean> {
    // A deleted account answers 404 to listings: its containers come from its own database.
    const containers = broker.list({ limit: 1_000_000 }, 'put_timestamp').map((r) => r.name);
    let clean = true;
    for (const container of containers) {
      for (const object of await this.names(account, container)) {
        const ts = newTimestamp();
        const update = this.backend.containerUpdateHeaders(account, container);
        const out = await this.backend.writeAll(
          'object',
          'DELETE',
          (_n, i) => ({ 'x-timestamp': ts, ...update(i) }),
          account,
          container,
          object,
        );
        if (out.status < 300 || out.status === 404) done.objects++;
        else clean = false;
      }
      const ts = newTimestamp();
      const out = await this.backend.writeAll(
        'container',
        'DELETE',
        () => ({ 'x-timestamp': ts }),
        account,
        container,
      );
      if (out.status < 300 || out.status === 404) done.containers++;
      else clean = false;
    }
    return clean;
  }

  private async names(account: string, container: string): Promise<string[]> {
    const out: string[] = [];
    let marker = '';
    for (;;) {
      const q = `?limit=10000&marker=${encodeURIComponent(marker)}`;
      const res = await this.backend.read('container', 'GET', {}, account, container, undefined, q);
      if (res.status !== 200) {
        discardBody(res.body);
        return out;
      }
      const rows = JSON.parse((await readBody(res.body)).toString('utf8')) as { name: string }[];
      for (const r of rows) out.push(r.name);
      if (rows.length < 10_000) return out;
      marker = rows[rows.length - 1]!.name;
    }
  }
}
