import type { Kysely } from 'kysely';
import type { BlockStorageTables } from '../db/record-store';
import type { Stores } from '../db/stores';
import { projectScope } from '../db/usage-counters';
import { CinderInvalid, QuotaExceeded } from './cinder-errors';
import { cinderTime } from './clock';
import type { VolumeTypeManager } from './volume-type-manager';

/** The quota resources every project has (per-type ones are added by type name). */
export const QUOTA_RESOURCES = [
  'volumes',
  'snapshots',
  'gigabytes',
  'backups',
  'backup_gigabytes',
  'groups',
  'per_volume_gigabytes',
] as const;

/** Limits and type names for a quota check. */
export interface QuotaContext {
  projectId: string;
  limits: Record<string, number>;
  typeNames: Map<string, string>;
}

/** A change of usage a request would make: `{ volumes: 1, gigabytes: 10, volumes_lvm: 1 }`. */
export type QuotaDeltas = Record<string, number>;

/**
 * Cinder's quotas: defaults from configuration, the `default` quota class, per-project limits,
 * and usage from counters kept with the records (Cinder's `quota_usages`).
 */
export class QuotaManager {
  constructor(
    private readonly stores: Stores,
    private readonly types: VolumeTypeManager,
    private readonly configured: Record<string, number>,
  ) {}

  /** The limits of the default class (configuration overridden by `quota_class` `default`). */
  async classLimits(className = 'default'): Promise<Record<string, number>> {
    const base: Record<string, number> = {};
    for (const r of QUOTA_RESOURCES) base[r] = this.configured[r] ?? -1;
    for (const t of await this.types.store.list()) {
      for (const r of ['volumes', 'gigabytes', 'snapshots']) base[`${r}_${t.name}`] = -1;
    }
    const cls = await this.stores.quotaClasses.get(className);
    return { ...base, ...(cls?.limits ?? {}) };
  }

  async projectLimits(projectId: string): Promise<Record<string, number>> {
    const limits = await this.classLimits();
    const own = await this.stores.quotas.get(projectId);
    return { ...limits, ...(own?.limits ?? {}) };
  }

  /**
   * Usage of every resource by a project, from the counters every write of a volume, snapshot,
   * backup or group moves in its own transaction (per-type counters are kept by type id).
   */
  async usage(projectId: string): Promise<Record<string, number>> {
    return this.named(await this.stores.usage.read(projectScope(projectId)), await this.typeNames());
  }

  private async typeNames(): Promise<Map<string, string>> {
    return new Map((await this.types.store.list()).map((t) => [t.id, t.name]));
  }

  private named(counters: Record<string, number>, typeNames: Map<string, string>): Record<string, number> {
    const u: Record<string, number> = {};
    for (const r of QUOTA_RESOURCES) u[r] = 0;
    for (const [resource, n] of Object.entries(counters)) {
      const at = resource.indexOf('@');
      const typeId = resource.slice(at + 1);
      const key = at < 0 ? resource : `${resource.slice(0, at)}_${typeNames.get(typeId) ?? typeId}`;
      u[key] = (u[key] ?? 0) + n;
    }
    return u;
  }

  /**
   * What a check needs besides the counters (limits, type names), read before the transaction
   * that checks and writes: on SQLite a read outside that transaction would wait for it.
   */
  async prepare(projectId: string): Promise<QuotaContext> {
    return { projectId, limits: await this.projectLimits(projectId), typeNames: await this.typeNames() };
  }

  /** Refuses a change that would take a project over a limit (413, Cinder's wording). */
  async check(projectId: string, deltas: QuotaDeltas, sizeGb?: number): Promise<void> {
    await this.checkIn(await this.prepare(projectId), deltas, sizeGb);
  }

  /**
   * As `check`, reading the counters in `trx`: the transaction that then writes the record, so
   * the check and the counters' move are one unit.
   */
  async checkIn(
    ctx: QuotaContext,
    deltas: QuotaDeltas,
    sizeGb?: number,
    trx?: Kysely<BlockStorageTables>,
  ): Promise<void> {
    const { limits } = ctx;
    const perVolume = limits.per_volume_gigabytes ?? -1;
    if (sizeGb !== undefined && perVolume >= 0 && sizeGb > perVolume) {
      throw new QuotaExceeded(
        `VolumeSizeExceedsLimit: Requested volume size ${sizeGb}G is larger than maximum allowed limit ${perVolume}G.`,
      );
    }
    const usage = this.named(await this.stores.usage.read(projectScope(ctx.projectId), trx), ctx.typeNames);
    for (const [resource, delta] of Object.entries(deltas)) {
      if (delta <= 0) continue;
      const limit = limits[resource] ?? -1;
      if (limit < 0) continue;
      const used = usage[resource] ?? 0;
      if (used + delta > limit) {
        if (resource.startsWith('gigabytes') || resource === 'backup_gigabytes') {
          const what = resource === 'backup_gigabytes' ? 'backup' : 'volume';
          throw new QuotaExceeded(
            `Requested ${what} or snapshot exceeds allowed ${resource} quota. Requested ${delta}G, quota is ${limit}G and ${used}G has been consumed.`,
          );
        }
        throw new QuotaExceeded(
          `Maximum number of ${resource} allowed (${limit}) exceeded for quota '${resource}'.`,
        );
      }
    }
  }

  /** Sets a project's limits (Cinder checks each against the usage when it is lowered below). */
  async update(projectId: string, values: Record<string, unknown>): Promise<Record<string, number>> {
    const known = await this.classLimits();
    const own = (await this.stores.quotas.get(projectId)) ?? {
      id: projectId,
      created_at: cinderTime(),
      limits: {},
    };
    for (const [k, v] of Object.entries(values)) {
      if (!(k in known)) throw new CinderInvalid(`Bad key(s) in quota set: ${k}`);
      const n = Number(v);
      if (!Number.isInteger(n) || n < -1) {
        throw new CinderInvalid(
          `Quota limit ${String(v)} for ${k} must be an integer greater than or equal to -1.`,
        );
      }
      own.limits[k] = n;
    }
    own.updated_at = cinderTime();
    if (await this.stores.quotas.get(projectId)) await this.stores.quotas.put(own);
    else await this.stores.quotas.insert(own);
    return this.projectLimits(projectId);
  }

  async reset(projectId: string): Promise<void> {
    await this.stores.quotas.delete(projectId);
  }

  async updateClass(className: string, values: Record<string, unknown>): Promise<Record<string, number>> {
    const known = await this.classLimits(className);
    const cls = (await this.stores.quotaClasses.get(className)) ?? {
      id: className,
      created_at: cinderTime(),
      limits: {},
    };
    for (const [k, v] of Object.entries(values)) {
      if (!(k in known)) continue;
      const n = Number(v);
      if (!Number.isInteger(n) || n < -1) {
        throw new CinderInvalid(
          `Quota limit ${String(v)} for ${k} must be an integer greater than or equal to -1.`,
        );
      }
      cls.limits[k] = n;
    }
    if (await this.stores.quotaClasses.get(className)) await this.stores.quotaClasses.put(cls);
    else await this.stores.quotaClasses.insert(cls);
    return this.classLimits(className);
  }
}
