import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import { type QosRuleKind, qosRuleKinds } from '../api/qos/qos-definitions';
import { inTransaction, neutronTime, type Resource } from '../db/resource-store';
import { NeutronError } from './network-errors';
import { qosPolicyNotFound, qosPolicyScope } from './qos-policy-manager';

/** DSCP marking rules have no direction; their rows keep this one. */
const NO_DIRECTION = 'egress';

const kindOf = (type: string) => qosRuleKinds.find((k) => k.type === type)!;

/** A rule row as its API shows it: id, direction when the kind has one, its own fields. */
export function qosRuleView(row: Record<string, unknown>): Resource {
  const kind = kindOf(row.type as string);
  const out: Resource = { id: row.id };
  for (const name of Object.keys(kind.fields)) out[name] = row[name] === null ? null : Number(row[name]);
  if (kind.directions.length) out.direction = row.direction;
  return out;
}

/** neutron's QosRuleNotFound. */
const ruleNotFound = (ruleId: string, policyId: string) =>
  new NeutronError(
    'not_found',
    'QosRuleNotFound',
    `QoS rule ${ruleId} for policy ${policyId} could not be found.`,
  );

/**
 * The rules of QoS policies, by kind: at most one rule of a kind and direction in a policy, a
 * minimum bandwidth never above the bandwidth limit of the same direction; each change bumps
 * the policy's revision.
 */
export class QosRuleManager {
  constructor(private readonly db: Database<any>) {}

  /** The policy a rule request names, when the caller may see it. */
  async policy(ctx: CallContext, policyId: string, trx: Kysely<any> = this.db.kysely): Promise<Resource> {
    let q = trx.selectFrom('qos_policies').selectAll().where('id', '=', policyId);
    const scope = qosPolicyScope(ctx);
    if (scope) q = scope(q);
    const row = await q.executeTakeFirst();
    if (!row) throw qosPolicyNotFound(policyId);
    return { ...row, shared: Boolean(row.shared), tenant_id: row.project_id };
  }

  async list(ctx: CallContext, kind: QosRuleKind, policyId: string): Promise<Resource[]> {
    await this.policy(ctx, policyId);
    const rows = await this.db.kysely
      .selectFrom('qos_rules')
      .selectAll()
      .where('qos_policy_id', '=', policyId)
      .where('type', '=', kind.type)
      .orderBy('id')
      .execute();
    return rows.map(qosRuleView);
  }

  async get(ctx: CallContext, kind: QosRuleKind, policyId: string, ruleId: string): Promise<Resource> {
    await this.policy(ctx, policyId);
    const row = await this.row(this.db.kysely, kind, ruleId);
    if (!row || row.qos_policy_id !== policyId) throw ruleNotFound(ruleId, policyId);
    return qosRuleView(row);
  }

  /** A rule by id alone (the alias API), with its policy id; QosRuleNotFound when not visible. */
  async find(ctx: CallContext, kind: QosRuleKind, ruleId: string): Promise<{ policyId: string }> {
    const row = await this.row(this.db.kysely, kind, ruleId);
    if (!row) throw notFoundAlias(ruleId);
    try {
      await this.policy(ctx, row.qos_policy_id as string);
    } catch {
      throw notFoundAlias(ruleId);
    }
    return { policyId: row.qos_policy_id as string };
  }

  private row(trx: Kysely<any>, kind: QosRuleKind, ruleId: string) {
    return trx
      .selectFrom('qos_rules')
      .selectAll()
      .where('id', '=', ruleId)
      .where('type', '=', kind.type)
      .executeTakeFirst();
  }

  async create(ctx: CallContext, kind: QosRuleKind, policyId: string, item: Resource): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      await this.policy(ctx, policyId, trx);
      const rule = this.fields(kind, item);
      const direction = (item.direction as string | undefined) ?? kind.directions[0] ?? NO_DIRECTION;
      await this.checkRules(trx, kind, policyId, { ...rule, direction }, undefined);
      const now = neutronTime();
      const row = {
        id: randomUUID(),
        qos_policy_id: policyId,
        type: kind.type,
        direction,
        ...rule,
        created_at: now,
        updated_at: now,
        revision_number: 0,
      };
      await trx.insertInto('qos_rules').values(row).execute();
      await this.touchPolicy(trx, policyId);
      return qosRuleView(row);
    });
  }

  async update(
    ctx: CallContext,
    kind: QosRuleKind,
    policyId: string,
    ruleId: string,
    changes: Resource,
  ): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      await this.policy(ctx, policyId, trx);
      const row = await this.row(trx, kind, ruleId);
      if (!row || row.qos_policy_id !== policyId) throw ruleNotFound(ruleId, policyId);
      const set: Record<string, unknown> = this.fields(kind, changes);
      if (changes.direction !== undefined) set.direction = changes.direction;
      await this.checkRules(trx, kind, policyId, { ...row, ...set }, ruleId);
      await trx
        .updateTable('qos_rules')
        .set({ ...set, updated_at: neutronTime() })
        .where('id', '=', ruleId)
        .execute();
      await this.touchPolicy(trx, policyId);
      return qosRuleView((await this.row(trx, kind, ruleId))!);
    });
  }

  async delete(ctx: CallContext, kind: QosRuleKind, policyId: string, ruleId: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await this.policy(ctx, policyId, trx);
      const row = await this.row(trx, kind, ruleId);
      if (!row || row.qos_policy_id !== policyId) throw ruleNotFound(ruleId, policyId);
      await trx.deleteFrom('qos_rules').where('id', '=', ruleId).execute();
      await this.touchPolicy(trx, policyId);
    });
  }

  private fields(kind: QosRuleKind, item: Resource): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(kind.fields)) if (item[name] !== undefined) out[name] = item[name];
    return out;
  }

  /** One rule per kind and direction; minimum bandwidth at most the limit of its direction. */
  private async checkRules(
    trx: Kysely<any>,
    kind: QosRuleKind,
    policyId: string,
    rule: Record<string, unknown>,
    except: string | undefined,
  ): Promise<void> {
    let q = trx.selectFrom('qos_rules').selectAll().where('qos_policy_id', '=', policyId);
    if (except) q = q.where('id', '!=', except);
    const others = await q.execute();
    if (others.some((o) => o.type === kind.type && o.direction === rule.direction))
      throw new NeutronError(
        'conflict',
        'QoSRulesConflict',
        `Rule ${kind.type} already exists in QoS policy ${policyId} for direction ${rule.direction}.`,
      );
    const pair = (min: unknown, max: unknown) =>
      min !== null && min !== undefined && max !== null && max !== undefined && Number(min) > Number(max);
    for (const o of others) {
      if (o.direction !== rule.direction) continue;
      const conflict =
        (kind.type === 'minimum_bandwidth' &&
          o.type === 'bandwidth_limit' &&
          pair(rule.min_kbps, o.max_kbps)) ||
        (kind.type === 'bandwidth_limit' &&
          o.type === 'minimum_bandwidth' &&
          pair(o.min_kbps, rule.max_kbps));
      if (conflict)
        throw new NeutronError(
          'conflict',
          'QoSRuleParameterConflict',
          `Unable to add the rule with value min_kbps/${kind.type === 'minimum_bandwidth' ? rule.min_kbps : o.min_kbps} to the policy ${policyId} as the existing rule of type bandwidth_limit restricts the bandwidth to max_kbps/${kind.type === 'bandwidth_limit' ? rule.max_kbps : o.max_kbps}.`,
        );
    }
  }

  private async touchPolicy(trx: Kysely<any>, policyId: string): Promise<void> {
    await trx
      .updateTable('qos_policies')
      .set({ updated_at: neutronTime(), revision_number: (eb: any) => eb('revision_number', '+', 1) })
      .where('id', '=', policyId)
      .execute();
  }
}

const notFoundAlias = (ruleId: string) =>
  new NeutronError('not_found', 'QoSRuleNotFound', `QoS rule ${ruleId} could not be found.`);
