import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import { rbacActions } from '../api/rbac/rbac-policy-definition';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, neutronTime, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { invalidInput, NeutronError, notFoundErrors } from './network-errors';
import { networkScope } from './network-manager';

const duplicate = () =>
  new NeutronError('conflict', 'DuplicateRbacPolicy', 'An RBAC policy already exists with those values.');
const inUse = (objectId: string, details: string) =>
  new NeutronError(
    'conflict',
    'RbacPolicyInUse',
    `RBAC policy on object ${objectId} cannot be removed because other objects depend on it.\nDetails: ${details}`,
  );

/** Networks shared with (or made external for) a project by a policy naming it. */
export const rbacTargeting = (k: Kysely<any>, project: string, action = 'access_as_shared') =>
  k
    .selectFrom('rbac_policies')
    .select('object_id')
    .where('object_type', '=', 'network')
    .where('action', '=', action)
    .where('target_tenant', '=', project);

/**
 * Adds or removes a network's wildcard policy for `shared` / `router:external` set on the
 * network itself (the two views of one fact, kept in step in the caller's transaction).
 */
export async function setNetworkWildcard(
  trx: Kysely<any>,
  network: { id: string; project_id: unknown },
  action: 'access_as_shared' | 'access_as_external',
  on: boolean,
): Promise<void> {
  const existing = await trx
    .selectFrom('rbac_policies')
    .select('id')
    .where('object_type', '=', 'network')
    .where('object_id', '=', network.id)
    .where('action', '=', action)
    .where('target_tenant', '=', '*')
    .executeTakeFirst();
  if (on && !existing) {
    const now = neutronTime();
    await trx
      .insertInto('rbac_policies')
      .values({
        id: randomUUID(),
        project_id: network.project_id,
        object_type: 'network',
        object_id: network.id,
        action,
        target_tenant: '*',
        created_at: now,
        updated_at: now,
        revision_number: 0,
      })
      .execute();
  } else if (!on && existing) {
    if (action === 'access_as_shared') await checkUnshare(trx, network.id, '*');
    await trx.deleteFrom('rbac_policies').where('id', '=', existing.id).execute();
  }
  // A network that stops being external loses every policy that made it so, as upstream.
  if (!on && action === 'access_as_external')
    await trx
      .deleteFrom('rbac_policies')
      .where('object_type', '=', 'network')
      .where('object_id', '=', network.id)
      .where('action', '=', action)
      .execute();
}

/**
 * Refuses withdrawing a share from `target` (`*`: everyone) while ports of projects that would
 * lose access remain on the network (the service's own ports excepted).
 */
async function checkUnshare(trx: Kysely<any>, networkId: string, target: string): Promise<void> {
  const net = await trx
    .selectFrom('networks')
    .select('project_id')
    .where('id', '=', networkId)
    .executeTakeFirst();
  if (!net) return;
  const remaining = await trx
    .selectFrom('rbac_policies')
    .select('target_tenant')
    .where('object_type', '=', 'network')
    .where('object_id', '=', networkId)
    .where('action', '=', 'access_as_shared')
    .where('target_tenant', '!=', target)
    .execute();
  if (remaining.some((r) => r.target_tenant === '*')) return;
  const keep = new Set([net.project_id, ...remaining.map((r) => r.target_tenant)]);
  let q = trx
    .selectFrom('ports')
    .select(['id', 'project_id', 'device_owner'])
    .where('network_id', '=', networkId);
  if (target !== '*') q = q.where('project_id', '=', target);
  const ports = await q.execute();
  const blocking = ports.filter(
    (p) => !keep.has(p.project_id) && !String(p.device_owner).startsWith('network:'),
  );
  if (blocking.length)
    throw inUse(
      networkId,
      `Unable to reconfigure sharing settings for network ${networkId}. Multiple tenants are using it.`,
    );
}

/**
 * Refuses removing the external policy `policyId` (or retargeting it to `newTarget`) while
 * routers of projects that would lose access keep their gateway on the network.
 */
async function checkUnexternal(
  trx: Kysely<any>,
  networkId: string,
  policyId: string,
  newTarget: string | undefined,
): Promise<void> {
  const net = await trx
    .selectFrom('networks')
    .select('project_id')
    .where('id', '=', networkId)
    .executeTakeFirst();
  if (!net) return;
  const remaining = await trx
    .selectFrom('rbac_policies')
    .select('target_tenant')
    .where('object_type', '=', 'network')
    .where('object_id', '=', networkId)
    .where('action', '=', 'access_as_external')
    .where('id', '!=', policyId)
    .execute();
  const targets = [...remaining.map((r) => r.target_tenant as string), ...(newTarget ? [newTarget] : [])];
  if (targets.includes('*')) return;
  const keep = new Set([net.project_id, ...targets]);
  const routers = await trx
    .selectFrom('routers')
    .select('project_id')
    .where('external_network_id', '=', networkId)
    .execute();
  if (routers.some((r) => !keep.has(r.project_id)))
    throw inUse(
      networkId,
      `Unable to reconfigure external settings for network ${networkId}. Routers of other projects use it as their gateway.`,
    );
}

/** Who sees a policy: its project; admins all. */
const rbacScope = (ctx: CallContext): Scope | undefined =>
  ctx.isAdmin ? undefined : (qb) => qb.where('project_id', '=', ctx.projectId ?? '');

/**
 * RBAC policies on networks: `access_as_shared` lets the target project (or every one) use a
 * network, `access_as_external` attach routers to it. A wildcard policy is the network's
 * `shared` / `router:external` flag; withdrawing a share that ports still rely on is refused.
 */
export class RbacPolicyManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'rbac_policies', {
      object_type: 'string',
      object_id: 'string',
      action: 'string',
      target_tenant: 'string',
    });
  }

  private view(item: Resource): Resource {
    const {
      name: _n,
      description: _d,
      created_at: _c,
      updated_at: _u,
      revision_number: _r,
      tags: _t,
      ...rest
    } = item;
    return rest;
  }

  async list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return (await this.store.list(query, rbacScope(ctx))).map((i) => this.view(i));
  }

  async get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    const item = await this.store.get(this.db.kysely, id, rbacScope(ctx));
    return item && this.view(item);
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const type = item.object_type as string;
    const action = item.action as string;
    if (!rbacActions[type]?.includes(action))
      throw new NeutronError(
        'bad_request',
        'InvalidActionForType',
        `Invalid action '${action}' for object type '${type}'. Valid actions: [${(rbacActions[type] ?? []).map((a) => `'${a}'`).join(', ')}]`,
      );
    const objectId = item.object_id as string;
    return inTransaction(this.db, async (trx) => {
      let q = trx.selectFrom('networks').select(['id', 'project_id']).where('id', '=', objectId);
      const scope = networkScope(ctx);
      if (scope) q = scope(q);
      const net = await q.executeTakeFirst();
      if (!net) throw notFoundErrors.network(objectId);
      // A network the caller sees but does not own (shared with it) is not the caller's to share.
      if (!ctx.isAdmin && net.project_id !== ctx.projectId)
        throw invalidInput('Only admins can manipulate policies on objects they do not own');
      await this.checkUnique(trx, item);
      const row = await this.store.insert(trx, { ...item, id: randomUUID() });
      await this.syncFlags(trx, objectId);
      return this.view(row);
    });
  }

  private async checkUnique(trx: Kysely<any>, item: Resource): Promise<void> {
    const same = await trx
      .selectFrom('rbac_policies')
      .select('id')
      .where('object_type', '=', item.object_type as string)
      .where('object_id', '=', item.object_id as string)
      .where('action', '=', item.action as string)
      .where('target_tenant', '=', item.target_tenant as string)
      .executeTakeFirst();
    if (same) throw duplicate();
  }

  /**
   * The network's flags as its policies make them: `shared` while a wildcard share exists,
   * `router:external` while any external policy does (a project-targeted one makes the network
   * external for that project alone: visibility follows the policies).
   */
  private async syncFlags(trx: Kysely<any>, networkId: string): Promise<void> {
    const policies = await trx
      .selectFrom('rbac_policies')
      .select(['action', 'target_tenant'])
      .where('object_type', '=', 'network')
      .where('object_id', '=', networkId)
      .execute();
    const flags = {
      shared: policies.some((p) => p.action === 'access_as_shared' && p.target_tenant === '*'),
      router_external: policies.some((p) => p.action === 'access_as_external'),
    };
    const net = await trx
      .selectFrom('networks')
      .select(['shared', 'router_external'])
      .where('id', '=', networkId)
      .executeTakeFirst();
    if (
      !net ||
      (Boolean(net.shared) === flags.shared && Boolean(net.router_external) === flags.router_external)
    )
      return;
    await trx
      .updateTable('networks')
      .set({
        ...flags,
        updated_at: neutronTime(),
        revision_number: (eb: any) => eb('revision_number', '+', 1),
      })
      .where('id', '=', networkId)
      .execute();
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const target = changes.target_tenant as string | undefined;
    return inTransaction(this.db, async (trx) => {
      if (target !== undefined && target !== current.target_tenant) {
        await this.checkWithdraw(trx, current, target);
        await this.checkUnique(trx, { ...current, target_tenant: target });
        await this.store.update(trx, current.id as string, { target_tenant: target });
        await this.syncFlags(trx, current.object_id as string);
      }
      return this.view((await this.store.get(trx, current.id as string))!);
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await this.checkWithdraw(trx, current);
      await this.store.delete(trx, current.id as string);
      await this.syncFlags(trx, current.object_id as string);
    });
  }

  /** Refuses removing (or retargeting) a policy that projects' ports or routers still rely on. */
  private async checkWithdraw(trx: Kysely<any>, current: Resource, newTarget?: string): Promise<void> {
    const networkId = current.object_id as string;
    if (current.action === 'access_as_shared')
      await checkUnshare(trx, networkId, current.target_tenant as string);
    else if (current.action === 'access_as_external')
      await checkUnexternal(trx, networkId, current.id as string, newTarget);
  }

  async setTags(): Promise<void> {
    throw new NeutronError('not_found', 'HTTPNotFound', 'RBAC policies have no tags.');
  }
}
