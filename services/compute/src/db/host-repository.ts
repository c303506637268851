import { randomUUID } from 'node:crypto';
import { type Database, nowTimestamp, toBoolean } from '@nimbus/db';
import { type Kysely, sql } from 'kysely';
import type { ComputeTables } from './compute-tables';

/** A compute node with its service's state, as the scheduler and the API read it. */
export interface ComputeNode {
  id: number;
  uuid: string;
  hypervisorHostname: string;
  host: string;
  rpcServer: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  cpuInfo: string;
}

/** A service row (`nova-compute`, `nova-conductor`, `nova-scheduler`). */
export interface ComputeServiceRecord {
  uuid: string;
  id: number;
  binary: string;
  host: string;
  topic: string | null;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  lastSeenUp: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** Compute nodes and services. */
export class HostRepository {
  private nextIds = new Map<string, number>();

  constructor(private readonly db: Database<ComputeTables>) {}

  /** The next integer id of a table, read inside the caller's transaction (one connection on SQLite). */
  private async nextId(trx: Kysely<ComputeTables>, table: 'compute_nodes' | 'services'): Promise<number> {
    const row = await trx
      .selectFrom(table)
      .select((eb) => eb.fn.max<number>('id').as('m'))
      .executeTakeFirst();
    const next = Math.max(Number(row?.m ?? 0) + 1, this.nextIds.get(table) ?? 1);
    this.nextIds.set(table, next + 1);
    return next;
  }

  /** Records a service as up now (creates it on its first report). */
  async heartbeat(binary: string, host: string, topic: string | null): Promise<void> {
    const now = nowTimestamp();
    const res = await this.db.kysely
      .updateTable('services')
      .set({ last_seen_up: now, updated_at: now })
      .where('binary', '=', binary)
      .where('host', '=', host)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) return;
    await this.db.transaction(async (trx) => {
      const exists = await trx
        .selectFrom('services')
        .select('uuid')
        .where('binary', '=', binary)
        .where('host', '=', host)
        .executeTakeFirst();
      if (exists) return;
      await trx
        .insertInto('services')
        .values({
          uuid: randomUUID(),
          id: await this.nextId(trx, 'services'),
          binary,
          host,
          topic,
          disabled: false,
          disabled_reason: null,
          forced_down: false,
          last_seen_up: now,
          created_at: now,
          updated_at: null,
        })
        .execute();
    });
  }

  /** Records many `nova-compute` heartbeats at once (one agent process with many hosts). */
  async heartbeatMany(hosts: readonly string[]): Promise<void> {
    const known = new Set(
      (
        await this.db.kysely
          .selectFrom('services')
          .select('host')
          .where('binary', '=', 'nova-compute')
          .execute()
      ).map((r) => r.host),
    );
    const now = nowTimestamp();
    const fresh = hosts.filter((h) => !known.has(h));
    const old = hosts.filter((h) => known.has(h));
    await this.db.transaction(async (trx) => {
      for (let i = 0; i < old.length; i += 500) {
        await trx
          .updateTable('services')
          .set({ last_seen_up: now })
          .where('binary', '=', 'nova-compute')
          .where('host', 'in', old.slice(i, i + 500))
          .execute();
      }
      for (const host of fresh) {
        await trx
          .insertInto('services')
          .values({
            uuid: randomUUID(),
            id: await this.nextId(trx, 'services'),
            binary: 'nova-compute',
            host,
            topic: 'compute',
            disabled: false,
            disabled_reason: null,
            forced_down: false,
            last_seen_up: now,
            created_at: now,
            updated_at: null,
          })
          .execute();
      }
    });
  }

  /** Creates or refreshes compute nodes. */
  async upsertNodes(
    rpcServer: string,
    nodes: readonly Omit<ComputeNode, 'id' | 'rpcServer'>[],
  ): Promise<void> {
    const known = new Map(
      (
        await this.db.kysely
          .selectFrom('compute_nodes')
          .select(['hypervisor_hostname', 'uuid'])
          .where('rpc_server', '=', rpcServer)
          .execute()
      ).map((r) => [r.hypervisor_hostname, r.uuid]),
    );
    const now = nowTimestamp();
    await this.db.transaction(async (trx) => {
      for (const n of nodes) {
        const values = {
          uuid: n.uuid,
          host: n.host,
          rpc_server: rpcServer,
          vcpus: n.vcpus,
          memory_mb: n.memoryMb,
          local_gb: n.localGb,
          hypervisor_type: n.hypervisorType,
          hypervisor_version: n.hypervisorVersion,
          host_ip: n.hostIp,
          cpu_info: n.cpuInfo,
        };
        if (known.has(n.hypervisorHostname)) {
          if (known.get(n.hypervisorHostname) !== n.uuid)
            await trx
              .updateTable('compute_nodes')
              .set({ ...values, updated_at: now })
              .where('hypervisor_hostname', '=', n.hypervisorHostname)
              .execute();
          continue;
        }
        const existing = await trx
          .selectFrom('compute_nodes')
          .select('uuid')
          .where('hypervisor_hostname', '=', n.hypervisorHostname)
          .executeTakeFirst();
        if (existing)
          await trx
            .updateTable('compute_nodes')
            .set({ ...values, updated_at: now })
            .where('hypervisor_hostname', '=', n.hypervisorHostname)
            .execute();
        else
          await trx
            .insertInto('compute_nodes')
            .values({
              ...values,
              hypervisor_hostname: n.hypervisorHostname,
              id: await this.nextId(trx, 'compute_nodes'),
              created_at: now,
              updated_at: null,
            })
            .execute();
      }
    });
  }

  /** Every compute node, or those of some ids. */
  async nodes(ids?: readonly number[]): Promise<ComputeNode[]> {
    let q = this.db.kysely.selectFrom('compute_nodes').selectAll().orderBy('id');
    if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      uuid: r.uuid,
      hypervisorHostname: r.hypervisor_hostname,
      host: r.host,
      rpcServer: r.rpc_server,
      vcpus: r.vcpus,
      memoryMb: r.memory_mb,
      localGb: r.local_gb,
      hypervisorType: r.hypervisor_type,
      hypervisorVersion: r.hypervisor_version,
      hostIp: r.host_ip,
      cpuInfo: r.cpu_info,
    }));
  }

  async nodeByHost(host: string): Promise<ComputeNode | undefined> {
    const row = await this.db.kysely
      .selectFrom('compute_nodes')
      .select('id')
      .where((eb) => eb.or([eb('host', '=', host), eb('hypervisor_hostname', '=', host)]))
      .orderBy('id')
      .executeTakeFirst();
    if (!row) return undefined;
    return (await this.nodes([row.id]))[0];
  }

  /**
   * Moves whenever a node or a service is added, removed or changed (an operator's disable or
   * force-down, a single host's heartbeat); heartbeatMany's liveness-only writes leave it alone.
   */
  async hostStamp(): Promise<string> {
    const row = await sql<{
      a: number;
      b: number | null;
      c: string | null;
      d: number;
      e: number | null;
      f: string | null;
    }>`
      SELECT (SELECT COUNT(*) FROM compute_nodes) AS a, (SELECT MAX(id) FROM compute_nodes) AS b,
             (SELECT MAX(updated_at) FROM compute_nodes) AS c, (SELECT COUNT(*) FROM services) AS d,
             (SELECT MAX(id) FROM services) AS e, (SELECT MAX(updated_at) FROM services) AS f`.execute(
      this.db.kysely,
    );
    const r = row.rows[0]!;
    return `${r.a}|${r.b}|${r.c}|${r.d}|${r.e}|${r.f}`;
  }

  async services(): Promise<ComputeServiceRecord[]> {
    const rows = await this.db.kysely.selectFrom('services').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      uuid: r.uuid,
      id: r.id,
      binary: r.binary,
      host: r.host,
      topic: r.topic,
      disabled: toBoolean(r.disabled),
      disabledReason: r.disabled_reason,
      forcedDown: toBoolean(r.forced_down),
      lastSeenUp: r.last_seen_up,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async updateService(
    uuid: string,
    changes: { disabled?: boolean; disabled_reason?: string | null; forced_down?: boolean },
  ): Promise<void> {
    await this.db.kysely
      .updateTable('services')
      .set({ ...changes, updated_at: nowTimestamp() })
      .where('uuid', '=', uuid)
      .execute();
  }

  async deleteService(uuid: string): Promise<void> {
    await this.db.kysely.deleteFrom('services').where('uuid', '=', uuid).execute();
  }
}
