import { randomUUID } from 'node:crypto';
import type { RpcArgs } from '@nimbus/bus';
import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore } from '../db/resource-store';
import type { agentReportRpc } from '../rpc/agent-report-rpc';
import { NeutronError } from './network-errors';

type AgentReport = RpcArgs<(typeof agentReportRpc)['methods']['report_state']>;

/** Stored agent attributes. */
export const agentColumns = {
  agent_type: 'string',
  binary: 'string',
  topic: 'string',
  host: 'string',
  availability_zone: 'string',
  admin_state_up: 'bool',
  started_at: 'string',
  heartbeat_timestamp: 'string',
  configurations: 'json',
  resource_versions: 'json',
} as const;

/** Agent timestamps as Neutron shows them: `2026-12-03 09:05:00` (UTC, no zone). */
export const agentTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** What the agent manager reads from configuration. */
export interface AgentOptions {
  agentDownTimeSeconds: number;
}

/**
 * Agents: rows made and refreshed by the agents' state reports (one per type and host), shown
 * `alive` while their last report is younger than `agent_down_time`; admins may disable,
 * describe and delete them (a deleted agent that still runs comes back with its next report).
 */
export class AgentManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(
    private readonly db: Database<any>,
    private readonly options: AgentOptions,
  ) {
    this.store = new ResourceStore(db, 'agents', agentColumns);
  }

  /** Records a state report: the agent is made on its first, its heartbeat moved on each. */
  async report({ agent_state: s, time }: AgentReport): Promise<void> {
    const now = agentTime(new Date());
    const at = Number.isNaN(Date.parse(time)) ? now : agentTime(new Date(time));
    await inTransaction(this.db, async (trx) => {
      const found = await trx
        .selectFrom('agents')
        .select('id')
        .where('agent_type', '=', s.agent_type)
        .where('host', '=', s.host)
        .executeTakeFirst();
      const fields = {
        binary: s.binary,
        topic: s.topic,
        availability_zone: s.availability_zone ?? null,
        configurations: JSON.stringify(s.configurations),
        heartbeat_timestamp: now,
      };
      if (found) {
        await trx
          .updateTable('agents')
          .set({ ...fields, ...(s.start_flag ? { started_at: at } : {}) })
          .where('id', '=', found.id)
          .execute();
      } else {
        await trx
          .insertInto('agents')
          .values({
            ...fields,
            id: randomUUID(),
            agent_type: s.agent_type,
            host: s.host,
            admin_state_up: true,
            created_at: now,
            started_at: at,
            description: null,
            resource_versions: null,
          })
          .execute();
      }
    });
  }

  /** Whether an agent reported within `agent_down_time`. */
  isAlive(agent: Resource, now = Date.now()): boolean {
    const beat = Date.parse(`${String(agent.heartbeat_timestamp).replace(' ', 'T')}Z`);
    return now - beat <= this.options.agentDownTimeSeconds * 1000;
  }

  private view(item: Resource): Resource {
    const {
      name: _n,
      project_id: _p,
      tenant_id: _t,
      updated_at: _u,
      revision_number: _r,
      tags: _g,
      ...rest
    } = item;
    return { ...rest, alive: this.isAlive(item), resource_versions: item.resource_versions ?? {} };
  }

  async list(_ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    const alive = query.filters.alive;
    const items = (await this.store.list(query)).map((i) => this.view(i));
    return alive ? items.filter((i) => alive.includes(i.alive)) : items;
  }

  async get(_ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.find(id);
  }

  /** One agent by id, whoever asks (the schedulers' own lookups). */
  async find(id: string): Promise<Resource | undefined> {
    const row = await this.store.get(this.db.kysely, id);
    return row && this.view(row);
  }

  /** Agents of a type that take new work: enabled and alive. */
  async usable(agentType: string): Promise<Resource[]> {
    const rows = await this.db.kysely
      .selectFrom('agents')
      .selectAll()
      .where('agent_type', '=', agentType)
      .where('admin_state_up', '=', true)
      .execute();
    return rows.map((r) => this.view(this.store.fromRow(r))).filter((a) => a.alive);
  }

  async create(): Promise<Resource> {
    throw new NeutronError(
      'not_implemented',
      'NotImplementedError',
      'Agents are created by their own reports.',
    );
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const set: Record<string, unknown> = {};
    if ('admin_state_up' in changes) set.admin_state_up = Boolean(changes.admin_state_up);
    if ('description' in changes) set.description = changes.description;
    if (Object.keys(set).length)
      await this.db.kysely
        .updateTable('agents')
        .set(set)
        .where('id', '=', current.id as string)
        .execute();
    return (await this.find(current.id as string))!;
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      await trx.deleteFrom('network_dhcp_agent_bindings').where('agent_id', '=', id).execute();
      await trx.deleteFrom('router_l3_agent_bindings').where('agent_id', '=', id).execute();
      await trx.deleteFrom('agents').where('id', '=', id).execute();
    });
  }

  async setTags(): Promise<void> {
    throw new NeutronError('not_found', 'HTTPNotFound', 'Agents have no tags.');
  }
}
