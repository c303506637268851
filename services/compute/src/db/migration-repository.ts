import { type Database, fromJson, nowTimestamp, toJson } from '@nimbus/db';
import type { Selectable } from 'kysely';
import type { ComputeTables, MigrationRow } from './compute-tables';
import type { FlavorSnapshot } from './instance-repository';

/** A move of a server, as the managers see it. */
export interface MigrationRecord {
  id: number;
  uuid: string;
  instanceUuid: string;
  /** `resize`, `migration`, `live-migration` or `evacuation`. */
  migrationType: string;
  status: string;
  sourceCompute: string | null;
  sourceNode: string | null;
  destCompute: string | null;
  destNode: string | null;
  destHost: string | null;
  oldFlavor: FlavorSnapshot;
  newFlavor: FlavorSnapshot;
  /** The vm_state to go back to on revert (active or stopped). */
  oldVmState: string;
  projectId: string;
  userId: string;
  createdAt: string;
  updatedAt: string | null;
}

/** Filters of `GET /os-migrations`. */
export interface MigrationFilters {
  instanceUuid?: string;
  status?: string;
  migrationType?: string;
  host?: string;
  sourceCompute?: string;
  projectId?: string;
  userId?: string;
  changesSince?: string;
  changesBefore?: string;
}

/** The migrations table. */
export class MigrationRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  /** Records a new move; answers it with its id. */
  async create(m: Omit<MigrationRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<MigrationRecord> {
    await this.db.kysely
      .insertInto('migrations')
      .values({
        uuid: m.uuid,
        instance_uuid: m.instanceUuid,
        migration_type: m.migrationType,
        status: m.status,
        source_compute: m.sourceCompute,
        source_node: m.sourceNode,
        dest_compute: m.destCompute,
        dest_node: m.destNode,
        dest_host: m.destHost,
        old_flavor: toJson(m.oldFlavor),
        new_flavor: toJson(m.newFlavor),
        old_vm_state: m.oldVmState,
        project_id: m.projectId,
        user_id: m.userId,
        created_at: nowTimestamp(),
        updated_at: null,
      })
      .execute();
    return (await this.byUuid(m.uuid))!;
  }

  async byUuid(uuid: string): Promise<MigrationRecord | undefined> {
    const row = await this.db.kysely
      .selectFrom('migrations')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row ? toMigration(row) : undefined;
  }

  async get(id: number): Promise<MigrationRecord | undefined> {
    const row = await this.db.kysely
      .selectFrom('migrations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toMigration(row) : undefined;
  }

  /** The instance's newest migration in one of `statuses` (any status when omitted). */
  async latestFor(instanceUuid: string, statuses?: string[]): Promise<MigrationRecord | undefined> {
    let q = this.db.kysely.selectFrom('migrations').selectAll().where('instance_uuid', '=', instanceUuid);
    if (statuses) q = q.where('status', 'in', statuses);
    const row = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? toMigration(row) : undefined;
  }

  /**
   * Writes `changes`; with `expectStatus` only while the row still has one of those statuses
   * (answers whether it wrote).
   */
  async update(
    id: number,
    changes: Partial<
      Pick<
        MigrationRow,
        'status' | 'dest_compute' | 'dest_node' | 'dest_host' | 'source_compute' | 'source_node'
      >
    >,
    expectStatus?: string[],
  ): Promise<boolean> {
    let q = this.db.kysely
      .updateTable('migrations')
      .set({ ...changes, updated_at: nowTimestamp() })
      .where('id', '=', id);
    if (expectStatus) q = q.where('status', 'in', expectStatus);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Migrations matching the filters, newest first, after `markerId`, at most `limit`. */
  async list(
    f: MigrationFilters,
    page: { limit?: number; markerId?: number } = {},
  ): Promise<MigrationRecord[]> {
    let q = this.db.kysely.selectFrom('migrations').selectAll();
    if (f.instanceUuid) q = q.where('instance_uuid', '=', f.instanceUuid);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.migrationType) q = q.where('migration_type', '=', f.migrationType);
    if (f.sourceCompute) q = q.where('source_compute', '=', f.sourceCompute);
    if (f.host)
      q = q.where((eb) => eb.or([eb('source_compute', '=', f.host!), eb('dest_compute', '=', f.host!)]));
    if (f.projectId) q = q.where('project_id', '=', f.projectId);
    if (f.userId) q = q.where('user_id', '=', f.userId);
    if (f.changesSince)
      q = q.where((eb) =>
        eb.or([eb('updated_at', '>=', f.changesSince!), eb('created_at', '>=', f.changesSince!)]),
      );
    if (f.changesBefore)
      q = q.where((eb) =>
        eb.or([
          eb('updated_at', '<=', f.changesBefore!),
          eb.and([eb('updated_at', 'is', null), eb('created_at', '<=', f.changesBefore!)]),
        ]),
      );
    if (page.markerId !== undefined) q = q.where('id', '<', page.markerId);
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (page.limit !== undefined) q = q.limit(page.limit);
    return (await q.execute()).map(toMigration);
  }
}

function toMigration(r: Selectable<MigrationRow>): MigrationRecord {
  return {
    id: Number(r.id),
    uuid: r.uuid,
    instanceUuid: r.instance_uuid,
    migrationType: r.migration_type,
    status: r.status,
    sourceCompute: r.source_compute,
    sourceNode: r.source_node,
    destCompute: r.dest_compute,
    destNode: r.dest_node,
    destHost: r.dest_host,
    oldFlavor: fromJson(r.old_flavor, {} as FlavorSnapshot),
    newFlavor: fromJson(r.new_flavor, {} as FlavorSnapshot),
    oldVmState: r.old_vm_state,
    projectId: r.project_id,
    userId: r.user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
