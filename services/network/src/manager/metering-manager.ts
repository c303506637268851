import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { cidrsOverlap, parseCidr } from './ip-math';
import { NeutronError, notFoundErrors } from './network-errors';

/** Who sees a metering label or rule: its project, shared labels everyone; admins all. */
function meteringScope(ctx: CallContext, shared: boolean): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  const project = ctx.projectId ?? '';
  return (qb) =>
    shared
      ? qb.where((eb) => eb.or([eb('project_id', '=', project), eb('shared', '=', true)]))
      : qb.where('project_id', '=', project);
}

const noTags = () => {
  throw new NeutronError('not_found', 'HTTPNotFound', 'The resource could not be found.');
};

/** Metering labels: deleting one deletes its rules, as upstream's cascade does. */
export class MeteringLabelManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'metering_labels', { shared: 'bool' });
  }

  list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.store.list(query, meteringScope(ctx, true));
  }

  get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.store.get(this.db.kysely, id, meteringScope(ctx, true));
  }

  create(_ctx: CallContext, item: Resource): Promise<Resource> {
    return inTransaction(this.db, (trx) => this.store.insert(trx, { ...item, id: randomUUID() }));
  }

  /** Nothing of a label is writable (the API refuses every attribute first). */
  async update(_ctx: CallContext, current: Resource): Promise<Resource> {
    return current;
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx.deleteFrom('metering_label_rules').where('metering_label_id', '=', current.id).execute();
      await this.store.delete(trx, current.id as string);
    });
  }

  setTags = noTags;
}

const PREFIXES = ['remote_ip_prefix', 'source_ip_prefix', 'destination_ip_prefix'] as const;

/**
 * Metering label rules: a direction and either a remote prefix (deprecated) or source and
 * destination prefixes; two rules of a label with the same direction and exclusion may not
 * have overlapping remote prefixes.
 */
export class MeteringLabelRuleManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'metering_label_rules', {
      metering_label_id: 'string',
      direction: 'string',
      excluded: 'bool',
      remote_ip_prefix: 'string',
      source_ip_prefix: 'string',
      destination_ip_prefix: 'string',
    });
  }

  list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.store.list(query, meteringScope(ctx, false));
  }

  get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.store.get(this.db.kysely, id, meteringScope(ctx, false));
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const [remote, source, destination] = PREFIXES.map((k) => item[k] as string | null);
    if (remote && (source || destination))
      throw badRule(
        "Cannot use 'remote-ip-prefix' in conjunction with 'source-ip-prefix' or 'destination-ip-prefix'.",
      );
    if (!remote && !source && !destination)
      throw badRule(
        "You must define at least one of the following parameters 'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'.",
      );
    const labelId = item.metering_label_id as string;
    return inTransaction(this.db, async (trx) => {
      let label = trx.selectFrom('metering_labels').select(['id', 'project_id']).where('id', '=', labelId);
      if (!ctx.isAdmin) label = label.where('project_id', '=', ctx.projectId ?? '');
      if (!(await label.executeTakeFirst())) throw notFoundErrors.metering_label(labelId);
      if (remote) {
        const siblings = await trx
          .selectFrom('metering_label_rules')
          .select('remote_ip_prefix')
          .where('metering_label_id', '=', labelId)
          .where('direction', '=', item.direction as string)
          .where('excluded', '=', Boolean(item.excluded))
          .where('remote_ip_prefix', 'is not', null)
          .execute();
        const mine = parseCidr(remote);
        if (siblings.some((s) => cidrsOverlap(mine, parseCidr(s.remote_ip_prefix as string))))
          throw new NeutronError(
            'conflict',
            'MeteringLabelRuleOverlaps',
            `Metering label rule with remote_ip_prefix ${remote} overlaps another.`,
          );
      }
      return this.store.insert(trx, { ...item, id: randomUUID() });
    });
  }

  /** Nothing of a rule is writable (the API refuses every attribute first). */
  async update(_ctx: CallContext, current: Resource): Promise<Resource> {
    return current;
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    await inTransaction(this.db, (trx) => this.store.delete(trx, current.id as string));
  }

  setTags = noTags;
}

const badRule = (message: string) => new NeutronError('bad_request', 'Invalid', message);
