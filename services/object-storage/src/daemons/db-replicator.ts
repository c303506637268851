import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '@nimbus/logging';
import { readBody } from '../common/swift-http';
import type { Ring, RingNode } from '../ring/ring';
import type { Broker } from '../storage/db/broker';
import type { BrokerPool } from '../storage/db/broker-pool';
import type { NodeClient } from '../storage/node-client';

/** What one database replication pass did. */
export interface DbReplicationStats {
  databases: number;
  rowsPushed: number;
  handoffsRemoved: number;
  failures: number;
}

/** The later of a database's and its write-ahead log's modification times. */
function fileTime(path: string): number | undefined {
  let t: number | undefined;
  for (const f of [path, `${path}-wal`]) {
    try {
      t = Math.max(t ?? 0, statSync(f).mtimeMs);
    } catch {}
  }
  return t;
}

/** Rows sent per REPLICATE request. */
const BATCH = 1000;

/**
 * The account and container replicator: pushes each database's status, metadata and the rows a
 * peer has not seen (tracked per peer as a row-id sync point) to the other primaries, which merge
 * them newest-wins. A database on a handoff device is pushed to every primary and removed once
 * they all took it. Passes visit the databases written since the last pass, so an idle cluster
 * does no work per container.
 */
export class DbReplicator<B extends Broker> {
  private lastFull = Date.now();
  /** Each database's file times when it was last replicated: a walk skips the unchanged. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly kind: 'account' | 'container',
    private readonly root: string,
    private readonly ring: Ring,
    private readonly pool: BrokerPool<B>,
    private readonly changed: Set<string>,
    private readonly nodes: NodeClient,
    private readonly localDevices: () => RingNode[],
    private readonly log: Logger,
    private readonly fullIntervalMs = 3_600_000,
  ) {}

  /**
   * One pass over the databases written since the last one; every `fullIntervalMs` a walk of
   * all local databases too, which opens only those whose files changed since they were last
   * replicated (after a restart, all of them once).
   */
  async runOnce(full = Date.now() - this.lastFull >= this.fullIntervalMs): Promise<DbReplicationStats> {
    if (full) this.lastFull = Date.now();
    const stats: DbReplicationStats = { databases: 0, rowsPushed: 0, handoffsRemoved: 0, failures: 0 };
    const paths = new Set(this.changed);
    if (full) for (const p of this.walk()) if (this.seen.get(p) !== fileTime(p)) paths.add(p);
    this.changed.clear();
    for (const path of paths) {
      stats.databases++;
      try {
        await this.replicate(path, stats);
        const t = fileTime(path);
        if (t === undefined) this.seen.delete(path);
        else this.seen.set(path, t);
      } catch (err) {
        stats.failures++;
        this.changed.add(path);
        this.log.warn({ err, path }, 'database replication failed');
      }
      if (stats.databases % 32 === 0) await new Promise((r) => setImmediate(r));
    }
    return stats;
  }

  /** Every database on the local devices: `<device>/<kind>s/<part>/<suffix>/<hash>/<hash>.db`. */
  private walk(): string[] {
    const out: string[] = [];
    const ls = (d: string) => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    };
    for (const dev of this.localDevices()) {
      const base = join(this.root, dev.device, `${this.kind}s`);
      for (const part of ls(base)) for (const suffix of ls(join(base, part))) for (const hash of ls(join(base, part, suffix))) out.push(join(base, part, suffix, hash, `${hash}.db`));
    }
    return out;
  }

  private async replicate(path: string, stats: DbReplicationStats): Promise<void> {
    const rel = path.slice(this.root.length + 1).split('/');
    const [device, , partText] = rel;
    const part = Number(partText);
    const local = this.localDevices().find((d) => d.device === device);
    const broker = this.pool.get(path, false);
    if (!local || !broker || !broker.initialised) return;
    const info = broker.info();
    const primaries = this.ring.primaries(part);
    const isPrimary = primaries.some((n) => n.id === local.id);
    const peers = primaries.filter((n) => n.id !== local.id);
    const account = info.account!;
    const dbPath = this.kind === 'container' ? `/${account}/${info.container}` : `/${account}`;
    const infoPush = { put_timestamp: info.put_timestamp ?? '0', delete_timestamp: info.delete_timestamp ?? '0', created_at: info.created_at, metadata: broker.metadata() };
    const infoDigest = createHash('md5').update(JSON.stringify(infoPush)).digest('hex');
    let allOk = true;
    for (const peer of peers) {
      let point = Number(info[`sync_${peer.id}`] ?? 0);
      const sentInfo = info[`sync_info_${peer.id}`] === infoDigest;
      let first = true;
      for (;;) {
        const rows = broker.rowsSince(point, BATCH);
        if (rows.length === 0 && (sentInfo || !first)) break;
        first = false;
        const res = await this.nodes.request(peer, part, 'REPLICATE', dbPath, { 'content-type': 'application/json' }, (async function* () {
          yield Buffer.from(JSON.stringify({ info: infoPush, rows: rows.map(({ rowid: _r, ...row }) => row) }));
        })());
        await readBody(res.body).catch(() => undefined);
        if (res.status !== 200) {
          allOk = false;
          stats.failures++;
          break;
        }
        stats.rowsPushed += rows.length;
        if (rows.length) point = rows[rows.length - 1]!.rowid;
        broker.setInfo({ [`sync_${peer.id}`]: String(point), [`sync_info_${peer.id}`]: infoDigest });
        if (rows.length < BATCH) break;
      }
    }
    if (!isPrimary && allOk) {
      this.pool.drop(path);
      rmSync(dirname(path), { recursive: true, force: true });
      stats.handoffsRemoved++;
    } else if (!allOk) this.changed.add(path);
  }
}
