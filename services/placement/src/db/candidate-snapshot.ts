import type { Database } from '@nimbus/db';
import { sql } from 'kysely';
import type { PlacementTables } from './placement-tables';
import { committedWrites, structuralWrites } from './write-transaction';

/** One class of a provider's inventory with its usage. */
export interface InventoryState {
  total: number;
  reserved: number;
  ratio: number;
  minUnit: number;
  maxUnit: number;
  stepSize: number;
  used: number;
}

/** A provider as candidate searches see it. */
export interface SnapshotProvider {
  id: number;
  uuid: string;
  parentId: number | null;
  rootId: number;
  traitIds: Set<number>;
  aggregates: Set<string>;
  inventory: Map<number, InventoryState>;
}

/** Everything GET /allocation_candidates reads, at one moment. */
export interface PlacementSnapshot {
  providers: Map<number, SnapshotProvider>;
  byUuid: Map<string, SnapshotProvider>;
  /** Providers of each tree, by root id. */
  trees: Map<number, SnapshotProvider[]>;
  /** Providers in each aggregate. */
  aggregateMembers: Map<string, SnapshotProvider[]>;
  /** Whether any provider has a parent. */
  hasTrees: boolean;
}

interface Loaded {
  stamp: string;
  /** This process's structural write count when the load began. */
  structural: number;
  snapshot: PlacementSnapshot;
}

/**
 * Loads the providers, inventories with usage, traits and aggregates in a few queries, and keeps
 * the result until the data changes. The change stamp (provider count and newest update,
 * allocation count and newest id) moves with every write: every write touches a provider's
 * updated_at or the allocations table. On SQLite this process is the only writer, so when every
 * write since the last load changed only allocations (a claim, a release), only usage is read
 * again and the rest of the snapshot is kept: a scheduler claims between every two searches.
 */
export class CandidateSnapshots {
  private cached: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;

  constructor(private readonly db: Database<PlacementTables>) {}

  async current(): Promise<PlacementSnapshot> {
    const structural = structuralWrites();
    const stamp = await this.stamp();
    const cached = this.cached;
    if (cached?.stamp === stamp) return cached.snapshot;
    // Concurrent requests share one load.
    this.loading ??= (
      cached && this.db.dialect === 'sqlite' && cached.structural === structural
        ? this.reloadUsage(cached.snapshot, stamp, structural)
        : this.load(stamp, structural)
    ).finally(() => {
      this.loading = undefined;
    });
    const loaded = await this.loading;
    this.cached = loaded;
    return loaded.snapshot;
  }

  /** The same providers with the usage read again (new objects: a search may still hold the old). */
  private async reloadUsage(old: PlacementSnapshot, stamp: string, structural: number): Promise<Loaded> {
    const usage = await this.usage();
    const providers = new Map<number, SnapshotProvider>();
    const byUuid = new Map<string, SnapshotProvider>();
    const trees = new Map<number, SnapshotProvider[]>();
    for (const o of old.providers.values()) {
      const inventory = new Map<number, InventoryState>();
      for (const [rc, inv] of o.inventory) inventory.set(rc, { ...inv, used: usage.get(o.id)?.get(rc) ?? 0 });
      const p: SnapshotProvider = { ...o, inventory };
      providers.set(p.id, p);
      byUuid.set(p.uuid, p);
      const tree = trees.get(p.rootId);
      if (tree) tree.push(p);
      else trees.set(p.rootId, [p]);
    }
    const aggregateMembers = new Map<string, SnapshotProvider[]>();
    for (const [agg, members] of old.aggregateMembers)
      aggregateMembers.set(
        agg,
        members.map((m) => providers.get(m.id)!),
      );
    return {
      stamp,
      structural,
      snapshot: { providers, byUuid, trees, aggregateMembers, hasTrees: old.hasTrees },
    };
  }

  /** Usage per provider and class. */
  private async usage(): Promise<Map<number, Map<number, number>>> {
    const rows = await this.db.kysely
      .selectFrom('allocations')
      .select(['resource_provider_id', 'resource_class_id', (eb) => eb.fn.sum<number>('used').as('used')])
      .groupBy(['resource_provider_id', 'resource_class_id'])
      .execute();
    const out = new Map<number, Map<number, number>>();
    for (const u of rows) {
      let byClass = out.get(u.resource_provider_id);
      if (!byClass) {
        byClass = new Map();
        out.set(u.resource_provider_id, byClass);
      }
      byClass.set(u.resource_class_id, Number(u.used));
    }
    return out;
  }

  private async stamp(): Promise<string> {
    const row = await sql<{ a: number; b: string | null; c: number; d: number | null }>`
      SELECT (SELECT COUNT(*) FROM resource_providers) AS a,
             (SELECT MAX(updated_at) FROM resource_providers) AS b,
             (SELECT COUNT(*) FROM allocations) AS c,
             (SELECT MAX(id) FROM allocations) AS d`.execute(this.db.kysely);
    const r = row.rows[0]!;
    return `${committedWrites()}|${r.a}|${r.b}|${r.c}|${r.d}`;
  }

  private async load(stamp: string, structural: number): Promise<Loaded> {
    const k = this.db.kysely;
    const rows = await k
      .selectFrom('resource_providers')
      .select(['id', 'uuid', 'parent_provider_id', 'root_provider_id'])
      .execute();
    const providers = new Map<number, SnapshotProvider>();
    const byUuid = new Map<string, SnapshotProvider>();
    const trees = new Map<number, SnapshotProvider[]>();
    let hasTrees = false;
    for (const r of rows) {
      const p: SnapshotProvider = {
        id: r.id,
        uuid: r.uuid,
        parentId: r.parent_provider_id,
        rootId: r.root_provider_id ?? r.id,
        traitIds: new Set(),
        aggregates: new Set(),
        inventory: new Map(),
      };
      if (p.parentId !== null) hasTrees = true;
      providers.set(p.id, p);
      byUuid.set(p.uuid, p);
      const tree = trees.get(p.rootId);
      if (tree) tree.push(p);
      else trees.set(p.rootId, [p]);
    }
    const inventories = await k
      .selectFrom('inventories')
      .select([
        'resource_provider_id',
        'resource_class_id',
        'total',
        'reserved',
        'allocation_ratio',
        'min_unit',
        'max_unit',
        'step_size',
      ])
      .execute();
    for (const i of inventories) {
      providers.get(i.resource_provider_id)?.inventory.set(i.resource_class_id, {
        total: Number(i.total),
        reserved: Number(i.reserved),
        ratio: Number(i.allocation_ratio),
        minUnit: Number(i.min_unit),
        maxUnit: Number(i.max_unit),
        stepSize: Number(i.step_size),
        used: 0,
      });
    }
    for (const [providerId, byClass] of await this.usage()) {
      const inventory = providers.get(providerId)?.inventory;
      if (!inventory) continue;
      for (const [rc, used] of byClass) {
        const inv = inventory.get(rc);
        if (inv) inv.used = used;
      }
    }
    for (const t of await k.selectFrom('resource_provider_traits').selectAll().execute()) {
      providers.get(t.resource_provider_id)?.traitIds.add(t.trait_id);
    }
    const aggregateMembers = new Map<string, SnapshotProvider[]>();
    for (const a of await k.selectFrom('resource_provider_aggregates').selectAll().execute()) {
      const p = providers.get(a.resource_provider_id);
      if (!p) continue;
      p.aggregates.add(a.aggregate_uuid);
      const members = aggregateMembers.get(a.aggregate_uuid);
      if (members) members.push(p);
      else aggregateMembers.set(a.aggregate_uuid, [p]);
    }
    return { stamp, structural, snapshot: { providers, byUuid, trees, aggregateMembers, hasTrees } };
  }
}
