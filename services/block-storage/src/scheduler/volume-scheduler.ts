import type { Logger } from '@nimbus/logging';
import type { VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { hostScope } from '../db/usage-counters';
import type { Caller } from '../manager/caller';
import { cinderTime } from '../manager/clock';
import { MESSAGE_DETAILS, MESSAGE_EVENTS, type MessageManager } from '../manager/message-manager';
import type { VolumeNotifier } from '../manager/volume-notifier';
import type { VolumeTypeManager } from '../manager/volume-type-manager';
import {
  type CandidatePool,
  idList,
  type PlacementRequest,
  type PoolFilter,
  poolFilters,
} from './pool-filters';
import { type PoolWeigher, poolWeighers, rankPools } from './pool-weighers';

/** How the scheduler picks, from configuration. */
export interface SchedulerOptions {
  filters: string[];
  weighers: { name: string; multiplier: number }[];
  /** Seconds after its last report that a volume service counts as down. */
  serviceDownSeconds: number;
}

/**
 * The scheduler role: reads the pools the volume roles last reported, filters them (each filter
 * says why it rejects a pool), weighs the rest and names the winner. With no pool left the
 * volume goes to `error` with a user message (`NoValidBackend`).
 */
export class VolumeScheduler {
  private readonly filters: PoolFilter[];
  private readonly weighers: { weigher: PoolWeigher; multiplier: number }[];

  constructor(
    private readonly stores: Stores,
    private readonly types: VolumeTypeManager,
    private readonly messages: MessageManager,
    private readonly notifier: VolumeNotifier,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {
    this.filters = options.filters.map((n) => poolFilters[n]).filter((f): f is PoolFilter => !!f);
    this.weighers = options.weighers
      .filter((w) => poolWeighers[w.name])
      .map((w) => ({ weigher: poolWeighers[w.name] as PoolWeigher, multiplier: w.multiplier }));
  }

  /**
   * The pools of volume services that are up and enabled, with their current figures (the
   * allocation counters each volume's writes keep per pool, not a count of every volume).
   */
  async candidates(): Promise<CandidatePool[]> {
    const services = await this.stores.services.list();
    const allocated = await this.stores.usage.readPrefixed(hostScope(''));
    const cutoff = cinderTime(new Date(Date.now() - this.options.serviceDownSeconds * 1000));
    const out: CandidatePool[] = [];
    for (const s of services) {
      if (s.binary !== 'cinder-volume' || s.disabled || s.frozen || s.heartbeat_at < cutoff) continue;
      for (const p of s.pools) {
        const name = `${s.host}#${p.name}`;
        out.push(candidateOf(name, s.zone, p.stats, allocated.get(hostScope(name)) ?? {}));
      }
    }
    return out;
  }

  /**
   * Picks a pool for the volume, or explains why none fits. `within` keeps only the pools of one
   * `host@backend[#pool]` (a migration's destination); `prefer` wins whenever it passes (a
   * retype stays where the volume is when it can, as upstream's `find_retype_backend`).
   */
  async pick(
    volume: VolumeRecord,
    hints: Record<string, unknown>,
    opts: { within?: string; prefer?: string } = {},
  ): Promise<{ pool?: CandidatePool; reasons: string[] }> {
    const type = await this.types.byId(volume.volume_type_id);
    const within = opts.within;
    const all = (await this.candidates()).filter(
      (p) => !within || p.name === within || p.name.startsWith(`${within}#`),
    );
    // Only the volumes the affinity hints name are read.
    const hinted = [...idList(hints.same_host), ...idList(hints.different_host)];
    const volumesById = new Map<string, VolumeRecord>();
    for (const id of new Set(hinted)) {
      const v = await this.stores.volumes.get(id);
      if (v) volumesById.set(id, v);
    }
    const req: PlacementRequest = {
      volume,
      type,
      hints,
      hostsOf: (ids) =>
        new Set(ids.map((id) => volumesById.get(id)?.host?.split('#')[0] ?? '').filter(Boolean)),
    };
    const reasons: string[] = [];
    const passing = all.filter((pool) => {
      for (const f of this.filters) {
        const v = f.check(pool, req);
        if (!v.ok) {
          reasons.push(`${f.name} rejected ${pool.name}: ${v.reason}`);
          return false;
        }
      }
      return true;
    });
    if (!all.length) reasons.push('no volume service reported pools');
    const preferred = opts.prefer ? passing.find((p) => p.name === opts.prefer) : undefined;
    return { pool: preferred ?? rankPools(passing, this.weighers)[0], reasons };
  }

  /** The placements of this scheduler, one at a time (see `scheduleCreate`). */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Schedules a new volume: sets its host, or puts it in error with a user message. Placements
   * run one at a time, so each sees the pools' capacity with the previous one's volume counted.
   */
  scheduleCreate(caller: Caller, volumeId: string): Promise<string | undefined> {
    const next = this.queue.then(() => this.place(caller, volumeId));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async place(caller: Caller, volumeId: string): Promise<string | undefined> {
    const v = await this.stores.volumes.get(volumeId);
    if (!v || v.status !== 'creating') return undefined;
    let host: string | undefined;
    if (v.source_volid || v.snapshot_id) {
      // Clones and volumes from snapshots stay on their source's backend, as upstream.
      const srcId = v.source_volid ?? (await this.stores.snapshots.get(String(v.snapshot_id)))?.volume_id;
      const src = srcId ? await this.stores.volumes.get(srcId) : undefined;
      host = src?.host ?? undefined;
    }
    if (!host) {
      const { pool, reasons } = await this.pick(v, v.scheduler_hints ?? {});
      if (!pool) {
        this.logger.warn({ volume: v.id, reasons }, 'No valid backend was found');
        const failed = await this.stores.volumes.update(
          v.id,
          () => ({ status: 'error', updated_at: cinderTime() }),
          ['creating'],
        );
        await this.messages.record({
          projectId: v.project_id,
          requestId: caller.requestId,
          resourceType: 'VOLUME',
          resourceId: v.id,
          event: MESSAGE_EVENTS.scheduleAllocateVolume,
          detail: MESSAGE_DETAILS.noBackend,
        });
        if (failed) this.notifier.volume(caller, failed, 'create.end');
        return undefined;
      }
      host = pool.name;
    }
    await this.stores.volumes.update(v.id, () => ({ host }));
    return host;
  }
}

function candidateOf(
  name: string,
  zone: string,
  stats: Record<string, unknown>,
  allocated: Record<string, number>,
): CandidatePool {
  const num = (k: string, d = 0) => (typeof stats[k] === 'number' ? (stats[k] as number) : d);
  const allocatedGb = allocated.gigabytes ?? 0;
  // What was placed since the pool's last report is not in its free figure yet: take it off, as
  // upstream's HostState.consume_from_volume does between reports.
  const placedSinceReport = Math.max(0, allocatedGb - num('allocated_capacity_gb'));
  return {
    name,
    zone,
    totalCapacityGb: num('total_capacity_gb'),
    freeCapacityGb: num('free_capacity_gb') - placedSinceReport,
    allocatedCapacityGb: allocatedGb,
    provisionedCapacityGb: Math.max(num('provisioned_capacity_gb'), allocatedGb),
    reservedPercentage: num('reserved_percentage'),
    maxOverSubscriptionRatio: num('max_over_subscription_ratio', 1),
    thinProvisioningSupport: stats.thin_provisioning_support === true,
    multiattach: stats.multiattach === true,
    capabilities: stats,
    volumeCount: allocated.volumes ?? 0,
  };
}
