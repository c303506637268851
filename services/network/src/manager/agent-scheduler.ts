import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import { inTransaction, type Resource } from '../db/resource-store';
import type { AgentManager } from './agent-manager';
import { NeutronError, notFoundErrors } from './network-errors';

/** What one scheduler binds: a resource kind to one agent type, through one table. */
export interface AgentSchedulerSpec {
  /** `network_dhcp_agent_bindings`, `router_l3_agent_bindings`. */
  table: string;
  /** The bound resource's column (`network_id`, `router_id`). */
  key: string;
  agentType: string;
  /** Agents each resource is scheduled to. */
  perResource: number;
  /** Errors worded as upstream. */
  alreadyHosted(resourceId: string, agentId: string): NeutronError;
  notHosted(resourceId: string, agentId: string): NeutronError;
  invalidAgent(agentId: string): NeutronError;
}

/**
 * Schedules resources to agents (networks to DHCP agents, routers to L3 agents): automatically
 * to the least loaded usable agents, or by hand through the scheduler APIs. The binding table's
 * primary key keeps one binding per pair.
 */
export class AgentScheduler {
  constructor(
    private readonly db: Database<any>,
    private readonly agents: AgentManager,
    readonly spec: AgentSchedulerSpec,
  ) {}

  /** Binds a resource to enough agents, when it has fewer; agents that do not run are skipped. */
  async schedule(resourceId: string): Promise<void> {
    const k = this.db.kysely;
    const bound = await this.agentIds(k, resourceId);
    const missing = this.spec.perResource - bound.length;
    if (missing <= 0) return;
    const usable = (await this.agents.usable(this.spec.agentType)).filter(
      (a) => !bound.includes(a.id as string),
    );
    if (!usable.length) return;
    const load = await k
      .selectFrom(this.spec.table)
      .select(['agent_id', (eb) => eb.fn.countAll().as('n')])
      .groupBy('agent_id')
      .execute();
    const count = new Map(load.map((l) => [l.agent_id as string, Number(l.n)]));
    usable.sort((a, b) => (count.get(a.id as string) ?? 0) - (count.get(b.id as string) ?? 0));
    for (const agent of usable.slice(0, missing)) {
      await k
        .insertInto(this.spec.table)
        .values({ [this.spec.key]: resourceId, agent_id: agent.id })
        .execute()
        .catch(() => {}); // a concurrent schedule bound it first
    }
  }

  private async agentIds(trx: Kysely<any>, resourceId: string): Promise<string[]> {
    const rows = await trx
      .selectFrom(this.spec.table)
      .select('agent_id')
      .where(this.spec.key, '=', resourceId)
      .execute();
    return rows.map((r) => r.agent_id as string);
  }

  /** The agents hosting a resource. */
  async agentsOf(resourceId: string): Promise<Resource[]> {
    const ids = await this.agentIds(this.db.kysely, resourceId);
    const out: Resource[] = [];
    for (const id of ids) {
      const a = await this.agents.find(id);
      if (a) out.push(a);
    }
    return out;
  }

  /** The ids of the resources an agent hosts; the agent must exist and be of the type. */
  async resourcesOf(agentId: string): Promise<string[]> {
    await this.agentOfType(agentId);
    const rows = await this.db.kysely
      .selectFrom(this.spec.table)
      .select(this.spec.key)
      .where('agent_id', '=', agentId)
      .execute();
    return rows.map((r) => r[this.spec.key] as string);
  }

  private async agentOfType(agentId: string): Promise<Resource> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw notFoundErrors.agent(agentId);
    if (agent.agent_type !== this.spec.agentType) throw this.spec.invalidAgent(agentId);
    return agent;
  }

  /** Binds a resource to an agent by hand; the agent must be enabled. */
  async add(agentId: string, resourceId: string): Promise<void> {
    const agent = await this.agentOfType(agentId);
    if (!agent.admin_state_up) throw this.spec.invalidAgent(agentId);
    await inTransaction(this.db, async (trx) => {
      if ((await this.agentIds(trx, resourceId)).includes(agentId))
        throw this.spec.alreadyHosted(resourceId, agentId);
      await trx
        .insertInto(this.spec.table)
        .values({ [this.spec.key]: resourceId, agent_id: agentId })
        .execute();
    });
  }

  /** Unbinds a resource from an agent. */
  async remove(agentId: string, resourceId: string): Promise<void> {
    await this.agentOfType(agentId);
    const r = await this.db.kysely
      .deleteFrom(this.spec.table)
      .where(this.spec.key, '=', resourceId)
      .where('agent_id', '=', agentId)
      .executeTakeFirst();
    if (!Number(r.numDeletedRows)) throw this.spec.notHosted(resourceId, agentId);
  }

  /** Forgets a deleted resource's bindings. */
  async forget(trx: Kysely<any>, resourceId: string): Promise<void> {
    await trx.deleteFrom(this.spec.table).where(this.spec.key, '=', resourceId).execute();
  }
}

/** The DHCP agent scheduler (`dhcp_agent_scheduler`). */
export const dhcpSchedulerSpec = (perNetwork: number): AgentSchedulerSpec => ({
  table: 'network_dhcp_agent_bindings',
  key: 'network_id',
  agentType: 'DHCP agent',
  perResource: perNetwork,
  alreadyHosted: (net, agent) =>
    new NeutronError(
      'conflict',
      'NetworkHostedByDHCPAgent',
      `The network ${net} has been already hosted by the DHCP Agent ${agent}.`,
    ),
  notHosted: (net, agent) =>
    new NeutronError(
      'conflict',
      'NetworkNotHostedByDhcpAgent',
      `The network ${net} is not hosted by the DHCP agent ${agent}.`,
    ),
  invalidAgent: (agent) =>
    new NeutronError(
      'bad_request',
      'InvalidDHCPAgent',
      `Agent ${agent} is not a valid DHCP Agent or has been disabled`,
    ),
});

/** The L3 agent scheduler (`l3_agent_scheduler`). */
export const l3SchedulerSpec = (): AgentSchedulerSpec => ({
  table: 'router_l3_agent_bindings',
  key: 'router_id',
  agentType: 'L3 agent',
  perResource: 1,
  alreadyHosted: (router, agent) =>
    new NeutronError(
      'conflict',
      'RouterHostedByL3Agent',
      `The router ${router} has been already hosted by the L3 Agent ${agent}.`,
    ),
  notHosted: (router, agent) =>
    new NeutronError(
      'conflict',
      'RouterNotHostedByL3Agent',
      `The router ${router} is not hosted by L3 agent ${agent}.`,
    ),
  invalidAgent: (agent) =>
    new NeutronError(
      'bad_request',
      'InvalidL3Agent',
      `Agent ${agent} is not a L3 Agent or has been disabled`,
    ),
});
