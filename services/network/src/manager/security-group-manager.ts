import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import {
  cannotRemoveDefaultSecurityGroup,
  NeutronError,
  notFoundErrors,
  securityGroupInUse,
} from './network-errors';
import type { QuotaManager } from './quota-manager';
import { ruleColumns } from './security-group-rule-manager';
import { setTags } from './tags';

/** Who sees a security group: its project; admins all. */
export function securityGroupScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  return (qb) => qb.where('project_id', '=', ctx.projectId ?? '');
}

/**
 * Security groups: each project's `default` group made on first use (listing groups, making a
 * port) with its four default rules, deletion refused while ports use a group.
 */
export class SecurityGroupManager implements ResourceHandlers {
  readonly store: ResourceStore;
  private readonly rules: ResourceStore;

  constructor(
    private readonly db: Database<any>,
    /** Counts the egress rules a new group comes with against the project's rule quota. */
    private readonly quotas?: Pick<QuotaManager, 'check'>,
  ) {
    this.store = new ResourceStore(db, 'security_groups', { stateful: 'bool' });
    this.rules = new ResourceStore(db, 'security_group_rules', ruleColumns);
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    if (ctx.projectId) await inTransaction(this.db, (trx) => this.ensureDefault(trx, ctx.projectId!));
    return this.withRules(this.db.kysely, await this.store.list(query, securityGroupScope(ctx)));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, securityGroupScope(ctx));
    return item && (await this.withRules(this.db.kysely, [item]))[0];
  }

  private async withRules(trx: Kysely<any>, items: Resource[]): Promise<Resource[]> {
    const rules = await this.rules.where(
      trx,
      'security_group_id',
      items.map((i) => i.id),
    );
    for (const item of items) {
      item.security_group_rules = rules.filter((r) => r.security_group_id === item.id).map(ruleView);
    }
    return items;
  }

  /** The project's default group, made with its rules when missing; answers its id. */
  async ensureDefault(trx: Kysely<any>, projectId: string): Promise<string> {
    const found = await trx
      .selectFrom('default_security_groups')
      .select('security_group_id')
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (found) return found.security_group_id;
    const id = randomUUID();
    // The primary key on project_id keeps one per project: a concurrent maker fails and retries.
    await this.store.insert(trx, {
      id,
      project_id: projectId,
      name: 'default',
      description: 'Default security group',
      stateful: true,
    });
    await trx
      .insertInto('default_security_groups')
      .values({ project_id: projectId, security_group_id: id })
      .execute();
    for (const ethertype of ['IPv4', 'IPv6']) {
      for (const [direction, remote] of [
        ['egress', null],
        ['ingress', id],
      ] as const) {
        await this.rules.insert(trx, {
          id: randomUUID(),
          project_id: projectId,
          description: '',
          security_group_id: id,
          direction,
          ethertype,
          remote_group_id: remote,
          protocol: null,
          port_range_min: null,
          port_range_max: null,
          remote_ip_prefix: null,
          normalized_cidr: null,
          remote_address_group_id: null,
        });
      }
    }
    return id;
  }

  /** The groups a port may use: each must exist and be the caller's (or any, for admins). */
  async checkUsable(trx: Kysely<any>, ctx: CallContext, ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    for (const id of unique) {
      let qb = trx.selectFrom('security_groups').select('id').where('id', '=', id);
      if (!ctx.isAdmin) qb = qb.where('project_id', '=', ctx.projectId ?? '');
      if (!(await qb.executeTakeFirst())) throw notFoundErrors.security_group(id);
    }
    return unique;
  }

  async create(_ctx: CallContext, item: Resource): Promise<Resource> {
    await this.quotas?.check(item.project_id as string, 'security_group_rule', DEFAULT_EGRESS.length);
    return inTransaction(this.db, async (trx) => {
      await this.ensureDefault(trx, item.project_id as string);
      const id = randomUUID();
      const row = await this.store.insert(trx, { ...item, id });
      // A new group lets all traffic out, as upstream's.
      for (const ethertype of DEFAULT_EGRESS) {
        await this.rules.insert(trx, {
          id: randomUUID(),
          project_id: item.project_id,
          description: '',
          security_group_id: id,
          direction: 'egress',
          ethertype,
          remote_group_id: null,
          protocol: null,
          port_range_min: null,
          port_range_max: null,
          remote_ip_prefix: null,
          normalized_cidr: null,
          remote_address_group_id: null,
        });
      }
      return (await this.withRules(trx, [row]))[0]!;
    });
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    if (current.name === 'default' && 'name' in changes) {
      throw new NeutronError(
        'conflict',
        'SecurityGroupCannotUpdateDefault',
        'Updating default security group not allowed.',
      );
    }
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, current.id as string, changes);
      return (await this.withRules(trx, [(await this.store.get(trx, current.id as string))!]))[0]!;
    });
  }

  async delete(ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      const isDefault = await trx
        .selectFrom('default_security_groups')
        .select('project_id')
        .where('security_group_id', '=', id)
        .executeTakeFirst();
      if (isDefault && !ctx.isAdmin) throw cannotRemoveDefaultSecurityGroup();
      const used = await trx
        .selectFrom('port_security_groups')
        .select('port_id')
        .where('security_group_id', '=', id)
        .executeTakeFirst();
      if (used) throw securityGroupInUse(id);
      // Rules of other groups naming this one as remote group go with it (Neutron's cascade).
      await trx.deleteFrom('security_group_rules').where('remote_group_id', '=', id).execute();
      await trx.deleteFrom('security_group_rules').where('security_group_id', '=', id).execute();
      await trx.deleteFrom('default_security_groups').where('security_group_id', '=', id).execute();
      await this.store.delete(trx, id);
    });
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }
}

/** The ethertypes of the egress rules every new group gets. */
const DEFAULT_EGRESS = ['IPv4', 'IPv6'] as const;

/** A rule as it is shown inside its group. */
export function ruleView(rule: Resource): Resource {
  const { tags: _t, ...rest } = rule;
  return { ...rest, tags: rule.tags ?? [] };
}
