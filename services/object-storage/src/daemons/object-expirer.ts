import type { Logger } from '@nimbus/logging';
import { readBody } from '../common/swift-http';
import type { Backend } from '../proxy/backend';

const QUEUE = '.expiring_objects';

/**
 * The object expirer: walks the `.expiring_objects` queue containers whose time has come and
 * deletes each object still due (`X-If-Delete-At`, so a rewritten object survives), then the
 * queue entry, then the emptied queue container.
 */
export class ObjectExpirer {
  constructor(
    private readonly backend: Backend,
    private readonly log: Logger,
  ) {}

  async runOnce(now = Date.now() / 1000): Promise<{ expired: number }> {
    let expired = 0;
    const buckets = await this.list(QUEUE);
    for (const bucket of buckets) {
      if (Number(bucket) > now) continue;
      const entries = await this.list(QUEUE, bucket);
      let remaining = entries.length;
      for (const entry of entries) {
        const dash = entry.indexOf('-');
        const at = entry.slice(0, dash);
        if (Number(at) > now) continue;
        const [account, container, ...rest] = entry.slice(dash + 1).split('/');
        const object = rest.join('/');
        if (account && container && object) {
          const update = this.backend.containerUpdateHeaders(account, container);
          const out = await this.backend.writeAll(
            'object',
            'DELETE',
            (_n, i) => ({ 'x-timestamp': `${at}.00000`, 'x-if-delete-at': at, ...update(i) }),
            account,
            container,
            object,
          );
          if (out.status >= 500) continue;
          if (out.status === 204) expired++;
        }
        await this.backend.containerUpdate(QUEUE, bucket, entry, 'DELETE', {});
        remaining--;
      }
      if (remaining === 0)
        await this.backend.writeAll(
          'container',
          'DELETE',
          () => ({ 'x-timestamp': `${(Date.now() / 1000).toFixed(5)}` }),
          QUEUE,
          bucket,
        );
    }
    if (expired) this.log.info({ expired }, 'expired objects deleted');
    return { expired };
  }

  private async list(account: string, container?: string): Promise<string[]> {
    const names: string[] = [];
    let marker = '';
    for (;;) {
      const q = `?format=json&limit=10000&marker=${encodeURIComponent(marker)}`;
      const res = await this.backend.read(
        container ? 'container' : 'account',
        'GET',
        {},
        account,
        container,
        undefined,
        q,
      );
      if (res.status !== 200) {
        await readBody(res.body).catch(() => undefined);
        return names;
      }
      const rows = JSON.parse((await readBody(res.body)).toString('utf8')) as { name: string }[];
      if (rows.length === 0) return names;
      for (const r of rows) names.push(r.name);
      marker = rows[rows.length - 1]!.name;
      if (rows.length < 10_000) return names;
    }
  }
}
