import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '@nimbus/logging';
import { readBody } from '../common/swift-http';
import type { Ring, RingNode } from '../ring/ring';
import type { Broker } from '../storage/db/broker';
import type { BrokerPool } from '../storage/db/broker-pool';
import type { NodeClient } from '../storage/node-client';
import type { ReplicationAnswer } from '../storage/db/replication-push';

/** What one database replication pass did. */
export interface DbReplicationStats {
  databases: number;
  rowsPushed: number;
  handoffsRemoved: number;
  failures: number;
}

/** Rows sent per REPLICATE request. */
const BATCH = 1000;

/**
 * The account and container replicator: pushes each database's status, metadata and the rows a
 * peer has not seen (tracked per peer as a row-id sync point) to the other primaries, which merge
 * them newest-wins. A database on a handoff device is pushed to every primary and removed once
 * they all took it. Passes visit the databases written since the last pass (the servers add a
 * database to `changed` on every write, and on a REPLICATE only when it changed something), so an
 * idle cluster does no work per container. The first pass after a start, and one every
 * `fullIntervalMs`, also walk every local database (the safety net for a peer that lost a
 * replica without this host seeing a write).
 */
export class DbReplicator<B extends Broker> {
  private lastFull = Number.NEGATIVE_INFINITY;

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
   * One pass over the databases written since the last one. A full pass (the first after a
   * start, then every `fullIntervalMs`) walks every local database instead and asks each peer
   * for its replica's id even when there is nothing new to send, so a peer whose replica was
   * lost and recreated gets every row again.
   */
  async runOnce(full = Date.now() - this.lastFull >= this.fullIntervalMs): Promise<DbReplicationStats> {
    if (full) this.lastFull = Date.now();
    const stats: DbReplicationStats = { databases: 0, rowsPushed: 0, handoffsRemoved: 0, failures: 0 };
    // Newest writes first: those databases are likely still open in the pool, and visiting them
    // first keeps them from being evicted by the older ones (which would evict the next in turn).
    const written = new Set(this.changed);
    this.changed.clear();
    const paths = [...written].reverse();
    if (full) for (const p of this.walk()) if (!written.has(p)) paths.push(p);
    for (const path of paths) {
      stats.databases++;
      try {
        await this.replicate(path, full, stats);
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
      for (const part of ls(base))
        for (const suffix of ls(join(base, part)))
          for (const hash of ls(join(base, part, suffix)))
            out.push(join(base, part, suffix, hash, `${hash}.db`));
    }
    return out;
  }

  private async replicate(path: string, check: boolean, stats: DbReplicationStats): Promise<void> {
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
    const infoPush = {
      put_timestamp: info.put_timestamp ?? '0',
      delete_timestamp: info.delete_timestamp ?? '0',
      created_at: info.created_at,
      metadata: broker.metadata(),
    };
    const infoDigest = createHash('md5').update(JSON.stringify(infoPush)).digest('hex');
    let allOk = true;
    // Sync points are written once, after every peer, in one transaction.
    const points: Record<string, string> = {};
    for (const peer of peers) {
      let point = Number(info[`sync_${peer.id}`] ?? 0);
      let peerReplica = info[`sync_id_${peer.id}`];
      const sentInfo = info[`sync_info_${peer.id}`] === infoDigest;
      let ask = check || peerReplica === undefined;
      for (;;) {
        const rows = broker.rowsSince(point, BATCH);
        if (rows.length === 0 && sentInfo && !ask) break;
        ask = false;
        const res = await this.nodes.request(
          peer,
          part,
          'REPLICATE',
          dbPath,
          { 'content-type': 'application/json' },
          (async function* () {
            yield Buffer.from(
              JSON.stringify({ info: infoPush, rows: rows.map(({ rowid: _r, ...row }) => row) }),
            );
          })(),
        );
        const body = await readBody(res.body).catch(() => undefined);
        if (res.status !== 200) {
          allOk = false;
          stats.failures++;
          break;
        }
        const answer = parseAnswer(body);
        if (answer.id && peerReplica !== undefined && answer.id !== peerReplica && point > 0) {
          // Not the replica our sync point counts for (it was lost and created again): all rows again.
          this.log.info({ path, peer: peer.id }, 'peer database replaced; sending every row');
          peerReplica = answer.id;
          point = 0;
          continue;
        }
        if (answer.id) peerReplica = answer.id;
        stats.rowsPushed += rows.length;
        if (rows.length) point = rows[rows.length - 1]!.rowid;
        points[`sync_${peer.id}`] = String(point);
        points[`sync_info_${peer.id}`] = infoDigest;
        if (peerReplica) points[`sync_id_${peer.id}`] = peerReplica;
        if (rows.length < BATCH) break;
      }
    }
    if (Object.keys(points).length) broker.setInfo(points);
    if (!isPrimary && allOk) {
      this.pool.drop(path);
      rmSync(dirname(path), { recursive: true, force: true });
      stats.handoffsRemoved++;
    } else if (!allOk) this.changed.add(path);
  }
}

/** A peer's answer to REPLICATE; tolerant of peers that send less. */
function parseAnswer(body: Buffer | undefined): Partial<ReplicationAnswer> {
  try {
    return JSON.parse(body?.toString('utf8') ?? '{}') as Partial<ReplicationAnswer>;
  } catch {
    return {};
  }
}
