import { type Database, fromJson, nowTimestamp, toBoolean, toJson } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { ComputeTables, InstanceRow } from './compute-tables';

/** An instance as the managers see it: JSON columns decoded. */
export interface Instance {
  uuid: string;
  name: string;
  description: string | null;
  hostname: string;
  projectId: string;
  userId: string;
  reservationId: string;
  launchIndex: number;
  host: string | null;
  node: string | null;
  availabilityZone: string | null;
  flavor: FlavorSnapshot;
  imageRef: string;
  keyName: string | null;
  keyData: string | null;
  userData: string | null;
  metadata: Record<string, string>;
  systemMetadata: Record<string, string>;
  tags: string[];
  vmState: string;
  taskState: string | null;
  powerState: number;
  lockedBy: string | null;
  lockedReason: string | null;
  accessIpV4: string | null;
  accessIpV6: string | null;
  configDrive: string;
  requestedNetworks: RequestedNetwork[];
  securityGroups: string[];
  networkInfo: Vif[];
  schedulerHints: Record<string, unknown>;
  fault: { code: number; message: string; details: string; created: string } | null;
  progress: number;
  launchedAt: string | null;
  terminatedAt: string | null;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
  deleted: boolean;
}

/** The flavor copy an instance keeps. */
export interface FlavorSnapshot {
  flavorid: string;
  name: string;
  vcpus: number;
  memory_mb: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  extra_specs: Record<string, string>;
}

/** A network the server asked for. */
export interface RequestedNetwork {
  network_id?: string;
  port_id?: string;
  fixed_ip?: string;
  tag?: string;
}

/** One interface of the network info cache. */
export interface Vif {
  port_id: string;
  network_id: string;
  network_name: string;
  mac_address: string;
  fixed_ips: { ip_address: string; version: number; subnet_id: string }[];
  created_by_compute: boolean;
  tag?: string;
}

/** List filters (already authorised: `projectId` undefined means every project). */
export interface InstanceFilters {
  projectId?: string;
  userId?: string;
  deleted?: boolean;
  name?: RegExp;
  vmStates?: string[];
  taskStates?: string[];
  host?: string;
  node?: string;
  flavorId?: string;
  imageRef?: string;
  reservationId?: string;
  changesSince?: string;
  changesBefore?: string;
  uuids?: string[];
  availabilityZone?: string;
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  ip?: RegExp;
  ip6?: RegExp;
  lockedSet?: boolean;
}

/** Columns a change may write. */
export type InstanceChanges = Partial<{
  display_name: string;
  display_description: string | null;
  hostname: string;
  host: string | null;
  node: string | null;
  availability_zone: string | null;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  locked_by: string | null;
  locked_reason: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  metadata: Record<string, string>;
  tags: string[];
  network_info: Vif[];
  fault: Instance['fault'];
  launched_at: string | null;
  terminated_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
  progress: number;
  flavor: FlavorSnapshot;
  image_ref: string;
  key_name: string | null;
  key_data: string | null;
  user_data: string | null;
  system_metadata: Record<string, string>;
}>;

const JSON_COLUMNS = new Set(['metadata', 'tags', 'network_info', 'fault', 'flavor', 'system_metadata']);

/** The instances table. */
export class InstanceRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  private get k(): Kysely<ComputeTables> {
    return this.db.kysely;
  }

  /** Inserts new instances in one transaction. */
  async createMany(rows: InstanceRow[]): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const row of rows) await trx.insertInto('instances').values(row).execute();
    });
  }

  /** One instance, deleted ones only when asked. */
  async get(uuid: string, withDeleted = false): Promise<Instance | undefined> {
    const row = await this.k.selectFrom('instances').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    if (!row || (!withDeleted && toBoolean(row.deleted))) return undefined;
    return toInstance(row);
  }

  /**
   * Writes `changes` when the row still is in one of `expect`'s states; answers whether it did.
   * Two actions racing on a server: one write matches, the other finds the state moved.
   */
  async update(
    uuid: string,
    changes: InstanceChanges,
    expect: { taskState?: (string | null)[]; vmState?: string[] } = {},
  ): Promise<boolean> {
    const values: Record<string, unknown> = { updated_at: nowTimestamp() };
    for (const [k, v] of Object.entries(changes))
      values[k] = JSON_COLUMNS.has(k) ? (v === null && k === 'fault' ? null : toJson(v)) : v;
    let q = this.k.updateTable('instances').set(values).where('uuid', '=', uuid);
    if (expect.vmState) q = q.where('vm_state', 'in', expect.vmState);
    if (expect.taskState) {
      const named = expect.taskState.filter((s): s is string => s !== null);
      const withNull = expect.taskState.includes(null);
      q = q.where((eb) =>
        eb.or([
          ...(named.length ? [eb('task_state', 'in', named)] : []),
          ...(withNull ? [eb('task_state', 'is', null)] : []),
        ]),
      );
    }
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** A page of instances, newest first (or by the given sort keys), after `marker`. */
  async list(
    f: InstanceFilters,
    page: { limit: number; marker?: Instance; sortKeys?: { key: string; dir: 'asc' | 'desc' }[] },
  ): Promise<Instance[]> {
    let q = this.k.selectFrom('instances').selectAll();
    if (f.projectId) q = q.where('project_id', '=', f.projectId);
    if (f.userId) q = q.where('user_id', '=', f.userId);
    if (f.deleted !== undefined) q = q.where('deleted', '=', f.deleted as never);
    if (f.vmStates) q = q.where('vm_state', 'in', f.vmStates);
    if (f.taskStates) q = q.where('task_state', 'in', f.taskStates);
    if (f.host) q = q.where('host', '=', f.host);
    if (f.node) q = q.where('node', '=', f.node);
    if (f.imageRef) q = q.where('image_ref', '=', f.imageRef);
    if (f.reservationId) q = q.where('reservation_id', '=', f.reservationId);
    if (f.availabilityZone) q = q.where('availability_zone', '=', f.availabilityZone);
    if (f.uuids) q = q.where('uuid', 'in', f.uuids.length ? f.uuids : ['']);
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
    const sortKeys = page.sortKeys?.length ? page.sortKeys : [{ key: 'created_at', dir: 'desc' as const }];
    const needsScan = Boolean(
      f.name ||
        f.flavorId ||
        f.tags ||
        f.tagsAny ||
        f.notTags ||
        f.notTagsAny ||
        f.ip ||
        f.ip6 ||
        f.lockedSet !== undefined,
    );
    if (page.marker) {
      const m = page.marker;
      const primary = sortKeys[0]!;
      const col = primary.key as keyof InstanceRow;
      const mv = rowValue(m, primary.key);
      const op = primary.dir === 'desc' ? '<' : '>';
      q = q.where((eb) =>
        eb.or([
          eb(col as never, op, mv as never),
          eb.and([eb(col as never, '=', mv as never), eb('uuid', op, m.uuid)]),
        ]),
      );
    }
    for (const s of sortKeys) q = q.orderBy(s.key as never, s.dir);
    q = q.orderBy('uuid', sortKeys[0]!.dir);
    if (!needsScan) {
      const rows = await q.limit(page.limit).execute();
      return rows.map(toInstance);
    }
    const out: Instance[] = [];
    for (const row of await q.execute()) {
      const i = toInstance(row);
      if (matches(i, f)) out.push(i);
      if (out.length >= page.limit) break;
    }
    return out;
  }

  /** Counts of a project's live instances, cores and RAM (quota usage). */
  async usage(projectId: string): Promise<{ instances: number; cores: number; ram: number }> {
    const rows = await this.k
      .selectFrom('instances')
      .select(['flavor'])
      .where('project_id', '=', projectId)
      .where('deleted', '=', false as never)
      .execute();
    let cores = 0;
    let ram = 0;
    for (const r of rows) {
      const fl = fromJson<FlavorSnapshot>(r.flavor, {} as FlavorSnapshot);
      cores += fl.vcpus ?? 0;
      ram += fl.memory_mb ?? 0;
    }
    return { instances: rows.length, cores, ram };
  }

  /** Instances on one host that are not deleted. */
  async onHost(host: string): Promise<Instance[]> {
    const rows = await this.k
      .selectFrom('instances')
      .selectAll()
      .where('host', '=', host)
      .where('deleted', '=', false as never)
      .execute();
    return rows.map(toInstance);
  }

  /** Live instances' count, vCPUs, RAM and disk per node (hypervisor usage). */
  async usageByNode(): Promise<Map<string, { count: number; vcpus: number; ramMb: number; diskGb: number }>> {
    const rows = await this.k
      .selectFrom('instances')
      .select(['node', 'flavor'])
      .where('deleted', '=', false as never)
      .where('node', 'is not', null)
      .execute();
    const out = new Map<string, { count: number; vcpus: number; ramMb: number; diskGb: number }>();
    for (const r of rows) {
      const f = fromJson<FlavorSnapshot>(r.flavor, {} as FlavorSnapshot);
      const u = out.get(r.node!) ?? { count: 0, vcpus: 0, ramMb: 0, diskGb: 0 };
      u.count++;
      u.vcpus += f.vcpus ?? 0;
      u.ramMb += f.memory_mb ?? 0;
      u.diskGb += (f.root_gb ?? 0) + (f.ephemeral_gb ?? 0);
      out.set(r.node!, u);
    }
    return out;
  }

  /** Live instance counts per host (hypervisor running_vms). */
  async countByHost(): Promise<Map<string, number>> {
    const rows = await this.k
      .selectFrom('instances')
      .select(['node', (eb) => eb.fn.countAll<number>().as('n')])
      .where('deleted', '=', false as never)
      .groupBy('node')
      .execute();
    return new Map(rows.filter((r) => r.node).map((r) => [r.node!, Number(r.n)]));
  }
}

function rowValue(i: Instance, key: string): unknown {
  const map: Record<string, unknown> = {
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    display_name: i.name,
    uuid: i.uuid,
    vm_state: i.vmState,
    task_state: i.taskState,
    power_state: i.powerState,
    host: i.host,
    node: i.node,
    launched_at: i.launchedAt,
    project_id: i.projectId,
    user_id: i.userId,
    availability_zone: i.availabilityZone,
    hostname: i.hostname,
    image_ref: i.imageRef,
    key_name: i.keyName,
  };
  return map[key] ?? null;
}

function matches(i: Instance, f: InstanceFilters): boolean {
  if (f.name && !f.name.test(i.name)) return false;
  if (f.flavorId && i.flavor.flavorid !== f.flavorId) return false;
  if (f.tags && !f.tags.every((t) => i.tags.includes(t))) return false;
  if (f.tagsAny && !f.tagsAny.some((t) => i.tags.includes(t))) return false;
  if (f.notTags && f.notTags.every((t) => i.tags.includes(t))) return false;
  if (f.notTagsAny && f.notTagsAny.some((t) => i.tags.includes(t))) return false;
  if (f.lockedSet !== undefined && (i.lockedBy !== null) !== f.lockedSet) return false;
  const ips = i.networkInfo.flatMap((v) => v.fixed_ips);
  if (f.ip && !ips.some((a) => a.version === 4 && f.ip!.test(a.ip_address))) return false;
  if (f.ip6 && !ips.some((a) => a.version === 6 && f.ip6!.test(a.ip_address))) return false;
  return true;
}

/** Decodes a row. */
export function toInstance(r: InstanceRow): Instance {
  return {
    uuid: r.uuid,
    name: r.display_name,
    description: r.display_description,
    hostname: r.hostname,
    projectId: r.project_id,
    userId: r.user_id,
    reservationId: r.reservation_id,
    launchIndex: r.launch_index,
    host: r.host,
    node: r.node,
    availabilityZone: r.availability_zone,
    flavor: fromJson(r.flavor, {} as FlavorSnapshot),
    imageRef: r.image_ref,
    keyName: r.key_name,
    keyData: r.key_data,
    userData: r.user_data,
    metadata: fromJson(r.metadata, {}),
    systemMetadata: fromJson(r.system_metadata, {}),
    tags: fromJson(r.tags, []),
    vmState: r.vm_state,
    taskState: r.task_state,
    powerState: r.power_state,
    lockedBy: r.locked_by,
    lockedReason: r.locked_reason,
    accessIpV4: r.access_ip_v4,
    accessIpV6: r.access_ip_v6,
    configDrive: r.config_drive,
    requestedNetworks: fromJson(r.requested_networks, []),
    securityGroups: fromJson(r.security_groups, []),
    networkInfo: fromJson(r.network_info, []),
    schedulerHints: fromJson(r.scheduler_hints, {}),
    fault: fromJson(r.fault, null),
    progress: r.progress,
    launchedAt: r.launched_at,
    terminatedAt: r.terminated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
    deleted: toBoolean(r.deleted),
  };
}
