import { createReadStream, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@nimbus/logging';
import { chunksOf, discardBody, readBody } from '../common/swift-http';
import type { Ring, RingNode } from '../ring/ring';
import type { NodeClient } from '../storage/node-client';
import type { ObjectDisk } from '../storage/object/disk-file';
import type { SuffixHashes, SuffixHashIndex } from '../storage/object/suffix-hashes';
import { UnreadableObject } from '../storage/object/unreadable-object';
import { InSyncRecord } from './in-sync-record';

/** What one replication pass did. */
export interface ReplicationStats {
  partitions: number;
  /** Partitions skipped: unchanged since they were last found in sync with every peer. */
  partitionsSkipped: number;
  suffixesSynced: number;
  objectsPushed: number;
  handoffsRemoved: number;
  failures: number;
}

/**
 * The object replicator: for each partition on a local device, compares suffix hashes with the
 * other replicas and pushes what differs (newer data, tombstones, metadata). A partition held on
 * a handoff device is pushed to its primaries and removed once they all match it. An unmounted
 * primary's share goes to a handoff instead, so three copies exist while it is away.
 *
 * Passes are incremental: a primary partition whose suffix hashes have not changed (by the
 * index's version token, and the peer's too when the peer is a device of this host) since it was
 * last found in sync with a peer is not compared with that peer again until `recheckMs` passed.
 * Every write invalidates its suffix, so an idle host sends no REPLICATE per partition.
 */
export class ObjectReplicator {
  private readonly inSync: InSyncRecord;

  constructor(
    private readonly ring: Ring,
    private readonly disk: ObjectDisk,
    private readonly hashes: SuffixHashIndex,
    private readonly nodes: NodeClient,
    private readonly localDevices: () => RingNode[],
    private readonly log: Logger,
    recheckMs = 3_600_000,
  ) {
    this.inSync = new InSyncRecord(recheckMs);
  }

  async runOnce(): Promise<ReplicationStats> {
    const stats: ReplicationStats = {
      partitions: 0,
      partitionsSkipped: 0,
      suffixesSynced: 0,
      objectsPushed: 0,
      handoffsRemoved: 0,
      failures: 0,
    };
    const devices = this.localDevices();
    // First, so a swapped disk on any local device changes its partitions' versions for peers too.
    for (const dev of devices) this.hashes.checkDevice(dev.device);
    const localIds = new Set(devices.map((d) => d.id));
    for (const dev of devices) {
      if (!this.disk.mounted(dev.device)) continue;
      let parts: string[] = [];
      try {
        parts = readdirSync(join(this.disk.root, dev.device, 'objects')).filter((p) => /^\d+$/.test(p));
      } catch (err) {
        // No objects yet is normal; a device that cannot be listed is worth seeing.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
          this.log.warn({ err, device: dev.device }, 'cannot list the partitions of a device');
        continue;
      }
      for (const part of parts) {
        stats.partitions++;
        try {
          await this.replicatePartition(dev, Number(part), localIds, stats);
        } catch (err) {
          stats.failures++;
          this.log.warn({ err, device: dev.device, part }, 'replication of a partition failed');
        }
        if (stats.partitions % 32 === 0) await new Promise((r) => setImmediate(r));
      }
    }
    return stats;
  }

  private async replicatePartition(
    dev: RingNode,
    part: number,
    localIds: ReadonlySet<number>,
    stats: ReplicationStats,
  ): Promise<void> {
    const primaries = this.ring.primaries(part);
    const isPrimary = primaries.some((n) => n.id === dev.id);
    const peers = primaries.filter((n) => n.id !== dev.id);
    // Read before any hashing or request: a write meanwhile makes the next pass look again.
    const localVersion = this.hashes.version(dev.device, part);
    const state = (peer: RingNode) =>
      localIds.has(peer.id) ? `${localVersion}/${this.hashes.version(peer.device, part)}` : localVersion;
    const key = (peer: RingNode) => `${dev.id}/${part}/${peer.id}`;
    const states = new Map(peers.map((peer) => [peer, state(peer)]));
    if (isPrimary && peers.every((peer) => this.inSync.inSync(key(peer), states.get(peer)!))) {
      stats.partitionsSkipped++;
      return;
    }
    const local = this.hashes.get(dev.device, part);
    if (Object.keys(local).length === 0 && !isPrimary) {
      rmSync(this.hashes.partDir(dev.device, part), { recursive: true, force: true });
      this.hashes.forget(dev.device, part);
      return;
    }
    let handoffs: RingNode[] | undefined;
    let allInSync = true;
    for (const peer of peers) {
      if (isPrimary && this.inSync.inSync(key(peer), states.get(peer)!)) continue;
      let target: RingNode | undefined = peer;
      let remote = await this.remoteHashes(peer, part, []);
      // A primary that cannot take data: keep a copy on a handoff meanwhile (primaries only).
      handoffs ??= remote === undefined ? this.ring.handoffs(part).filter((n) => n.id !== dev.id) : undefined;
      while (remote === undefined && isPrimary && handoffs?.length) {
        target = handoffs.shift()!;
        remote = await this.remoteHashes(target, part, []);
      }
      if (remote === undefined || !target) {
        allInSync = false;
        stats.failures++;
        continue;
      }
      const differing = Object.keys(local).filter((s) => local[s] !== remote![s]);
      if (differing.length === 0) {
        // Suffixes only the peer has are the peer's to push: its own replicator sees them.
        if (target === peer && isPrimary) this.inSync.record(key(peer), states.get(peer)!);
        continue;
      }
      for (const suffix of differing) {
        stats.objectsPushed += await this.syncSuffix(dev, part, suffix, target);
        stats.suffixesSynced++;
      }
      const after = await this.remoteHashes(target, part, differing);
      const fresh = this.hashes.get(dev.device, part, differing);
      if (!after || differing.some((s) => fresh[s] !== after[s])) allInSync = false;
      if (target !== peer) allInSync = false;
      // Pushed this pass: the next one compares again (at the peer's new version) before skipping.
      this.inSync.forget(key(peer));
    }
    if (!isPrimary && allInSync) {
      rmSync(this.hashes.partDir(dev.device, part), { recursive: true, force: true });
      this.hashes.forget(dev.device, part);
      stats.handoffsRemoved++;
    }
  }

  private async remoteHashes(
    node: RingNode,
    part: number,
    recalc: string[],
  ): Promise<SuffixHashes | undefined> {
    const res = await this.nodes.request(
      node,
      part,
      'REPLICATE',
      recalc.length ? `/${recalc.join('-')}` : '',
      {},
    );
    if (res.status !== 200) {
      discardBody(res.body);
      return undefined;
    }
    return JSON.parse((await readBody(res.body)).toString('utf8')) as SuffixHashes;
  }

  /** Pushes every object of a suffix to a node; the node keeps whichever side is newer. */
  private async syncSuffix(dev: RingNode, part: number, suffix: string, target: RingNode): Promise<number> {
    const dir = join(this.hashes.partDir(dev.device, part), suffix);
    let pushed = 0;
    let objects: string[] = [];
    try {
      objects = readdirSync(dir);
    } catch (err) {
      // Removed since it was hashed is normal; otherwise the pass counts it as not pushed.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log.warn({ err, dir }, 'cannot list a suffix');
      return 0;
    }
    for (const hash of objects) {
      let state: ReturnType<ObjectDisk['read']>;
      try {
        state = this.disk.read(join(dir, hash));
      } catch (err) {
        if (!(err instanceof UnreadableObject)) throw err;
        // A damaged replica is not pushed: it goes to quarantine and a peer's copy comes back.
        this.quarantine(dev, part, suffix, join(dir, hash), err);
        continue;
      }
      const name = state.metadata.name;
      if (state.status === 'missing' || !name) continue;
      const headers: Record<string, string> = { 'x-backend-replication': 'true' };
      if (state.status === 'deleted') {
        const res = await this.nodes.request(target, part, 'DELETE', name, {
          ...headers,
          'x-timestamp': state.timestamp!,
        });
        discardBody(res.body);
        pushed++;
        continue;
      }
      const dataMeta = this.disk.meta.read(state.dataPath!) ?? {};
      for (const [k, v] of Object.entries(dataMeta))
        if (k !== 'name' && k !== 'X-Timestamp' && k !== 'ETag') headers[k.toLowerCase()] = v;
      headers['x-timestamp'] = state.timestamp!;
      headers.etag = dataMeta.ETag ?? '';
      const res = await this.nodes.request(
        target,
        part,
        'PUT',
        name,
        headers,
        chunksOf(createReadStream(state.dataPath!)),
      );
      discardBody(res.body);
      if (state.metaTimestamp) {
        const meta = this.disk.meta.read(join(dir, hash, `${state.metaTimestamp}.meta`)) ?? {};
        const post: Record<string, string> = { 'x-backend-replication': 'true' };
        for (const [k, v] of Object.entries(meta)) post[k.toLowerCase()] = v;
        const r2 = await this.nodes.request(target, part, 'POST', name, post);
        discardBody(r2.body);
      }
      pushed++;
    }
    return pushed;
  }

  private quarantine(dev: RingNode, part: number, suffix: string, dir: string, why: UnreadableObject): void {
    try {
      const to = this.disk.quarantine(dir);
      this.log.error({ err: why, quarantinedTo: to }, 'object quarantined: %s', why.reason);
    } catch (err) {
      this.log.error({ err, reason: why.reason, dir }, 'cannot quarantine an unreadable object');
    }
    this.hashes.invalidate(dev.device, part, suffix);
  }
}
