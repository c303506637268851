import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { Kysely } from 'kysely';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { NOT_SPECIFIED } from '../api/subnets/subnet-definition';
import { inTransaction, type Resource, ResourceStore } from '../db/resource-store';
import { sharedScope } from './address-scope-manager';
import { cidrsOverlap, parseCidr } from './ip-math';
import { badRequest, invalidInput, NeutronError, notFoundErrors } from './network-errors';
import { cidrWithin, firstFreeBlock, mergeCidrs, quotaUnits } from './prefix-math';
import { setTags } from './tags';

/** Stored subnet pool attributes. */
export const subnetPoolColumns = {
  ip_version: 'int',
  prefixes: 'json',
  default_quota: 'int',
  default_prefixlen: 'int',
  min_prefixlen: 'int',
  max_prefixlen: 'int',
  is_default: 'bool',
  shared: 'bool',
  address_scope_id: 'string',
} as const;

const bad = (type: string, message: string) => new NeutronError('bad_request', type, message);
const bounds = (type: string, len: number, baseType: string, baseLen: number) =>
  bad('IllegalSubnetPoolPrefixBounds', `Illegal prefix bounds: ${type}=${len}, ${baseType}=${baseLen}.`);
const allocationError = (reason: string) =>
  new NeutronError('conflict', 'SubnetAllocationError', `Failed to allocate subnet: ${reason}.`);

/**
 * Subnet pools: prefixes kept merged, prefix length bounds, a per-project quota of addresses,
 * one default pool per IP version, membership of an address scope whose pools never overlap;
 * subnets take their CIDR from a pool (given, or the first free block of the asked length).
 */
export class SubnetPoolManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'subnetpools', subnetPoolColumns);
  }

  list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.store.list(query, sharedScope(ctx));
  }

  get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.store.get(this.db.kysely, id, sharedScope(ctx));
  }

  /** Merged prefixes of one IP version, or the upstream error. */
  private prefixesOf(list: unknown): { version: 4 | 6; prefixes: string[] } {
    const texts = list as string[];
    if (!texts.length) throw bad('EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.');
    const versions = new Set(texts.map((t) => parseCidr(t).version));
    if (versions.size > 1)
      throw bad('PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.');
    return { version: [...versions][0]!, prefixes: mergeCidrs(texts) };
  }

  /** Prefix length bounds, defaults filled as upstream (min 8 / 64, max 32 / 128, default = min). */
  private lengths(version: 4 | 6, item: Resource, current?: Resource) {
    const bits = version === 4 ? 32 : 128;
    const pick = (k: string, dflt: number) =>
      item[k] === undefined || item[k] === NOT_SPECIFIED
        ? ((current?.[k] as number | undefined) ?? dflt)
        : (item[k] as number);
    const min = pick('min_prefixlen', version === 4 ? 8 : 64);
    const max = pick('max_prefixlen', bits);
    const dflt = pick('default_prefixlen', min);
    if (max > bits) throw bounds('max_prefixlen', max, 'ip_version_max', bits);
    if (min > max) throw bounds('min_prefixlen', min, 'max_prefixlen', max);
    if (dflt < min) throw bounds('default_prefixlen', dflt, 'min_prefixlen', min);
    if (dflt > max) throw bounds('default_prefixlen', dflt, 'max_prefixlen', max);
    return { min_prefixlen: min, max_prefixlen: max, default_prefixlen: dflt };
  }

  /** Checks an address scope association: visible, same IP version, no overlap with its other pools. */
  private async checkScope(trx: Kysely<any>, ctx: CallContext, pool: Resource): Promise<void> {
    const scopeId = pool.address_scope_id as string | null;
    if (!scopeId) return;
    const scope = await trx
      .selectFrom('address_scopes')
      .selectAll()
      .where('id', '=', scopeId)
      .executeTakeFirst();
    if (!scope || (!ctx.isAdmin && !scope.shared && scope.project_id !== ctx.projectId))
      throw notFoundErrors.address_scope(scopeId);
    if (!ctx.isAdmin && !scope.shared && scope.project_id !== pool.project_id)
      throw bad(
        'IllegalSubnetPoolAssociationToAddressScope',
        `Illegal subnetpool association: subnetpool ${pool.id} cannot be associated with address scope ${scopeId}.`,
      );
    if (Number(scope.ip_version) !== pool.ip_version)
      throw bad(
        'IllegalSubnetPoolIpVersionAssociationToAddressScope',
        `Illegal subnetpool association: subnetpool ${pool.id} cannot associate with address scope ${scopeId} because subnetpool ip_version is not ${scope.ip_version}.`,
      );
    const siblings = await trx
      .selectFrom('subnetpools')
      .select(['id', 'prefixes'])
      .where('address_scope_id', '=', scopeId)
      .where('id', '!=', pool.id as string)
      .execute();
    const mine = (pool.prefixes as string[]).map(parseCidr);
    for (const s of siblings)
      for (const p of JSON.parse(s.prefixes) as string[])
        if (mine.some((m) => cidrsOverlap(m, parseCidr(p))))
          throw new NeutronError(
            'conflict',
            'AddressScopePrefixConflict',
            'Failed to associate address scope: subnetpools within an address scope must have unique prefixes.',
          );
  }

  private async checkDefault(trx: Kysely<any>, pool: Resource): Promise<void> {
    if (!pool.is_default) return;
    const other = await trx
      .selectFrom('subnetpools')
      .select('id')
      .where('is_default', '=', true)
      .where('ip_version', '=', pool.ip_version as number)
      .where('id', '!=', pool.id as string)
      .executeTakeFirst();
    if (other)
      throw invalidInput(
        'A default subnetpool for this IP family has already been set. Only one default may exist per IP family',
      );
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const { version, prefixes } = this.prefixesOf(item.prefixes);
    const pool: Resource = {
      ...item,
      id: randomUUID(),
      ip_version: version,
      prefixes,
      ...this.lengths(version, item),
      default_quota: item.default_quota ?? null,
    };
    return inTransaction(this.db, async (trx) => {
      await this.checkScope(trx, ctx, pool);
      await this.checkDefault(trx, pool);
      return this.store.insert(trx, pool);
    });
  }

  async update(ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    const out: Resource = { ...changes };
    let prefixes = current.prefixes as string[];
    if ('prefixes' in changes) {
      const next = this.prefixesOf(changes.prefixes);
      if (next.version !== current.ip_version)
        throw bad('PrefixVersionMismatch', 'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.');
      if (!prefixes.every((p) => cidrWithin(p, next.prefixes)))
        throw bad(
          'IllegalSubnetPoolPrefixUpdate',
          'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
        );
      prefixes = next.prefixes;
      out.prefixes = prefixes;
    }
    Object.assign(out, this.lengths(current.ip_version as 4 | 6, changes, current));
    const merged = { ...current, ...out };
    return inTransaction(this.db, async (trx) => {
      if ('address_scope_id' in changes) await this.checkScope(trx, ctx, merged);
      if (changes.is_default) await this.checkDefault(trx, merged);
      await this.store.update(trx, current.id as string, out);
      return (await this.store.get(trx, current.id as string))!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      const used = await trx
        .selectFrom('subnets')
        .select('id')
        .where('subnetpool_id', '=', id)
        .executeTakeFirst();
      if (used)
        throw new NeutronError(
          'conflict',
          'SubnetPoolInUse',
          `Unable to complete operation on subnet pool ${id}. Subnet pool has existing allocations.`,
        );
      await this.store.delete(trx, id);
    });
  }

  async setTags(_ctx: CallContext, current: Resource, tags: string[]): Promise<void> {
    await setTags(this.db, this.store, current.id as string, tags);
  }

  /**
   * The pool a subnet create names (`subnetpool_id`, or the default pool of its IP version with
   * `use_default_subnetpool`), or undefined when it names none.
   */
  async poolFor(trx: Kysely<any>, ctx: CallContext, subnet: Resource): Promise<Resource | undefined> {
    let id = subnet.subnetpool_id as string | null;
    if (!id && subnet.use_default_subnetpool) {
      const dflt = await trx
        .selectFrom('subnetpools')
        .select('id')
        .where('is_default', '=', true)
        .where('ip_version', '=', subnet.ip_version as number)
        .executeTakeFirst();
      if (!dflt) throw badRequest('subnets', `No default subnetpool found for IPv${subnet.ip_version}`);
      id = dflt.id as string;
    }
    if (!id) return undefined;
    const pool = await this.store.get(trx, id, sharedScope(ctx));
    if (!pool) throw notFoundErrors.subnetpool(id);
    return pool;
  }

  /**
   * The CIDR a subnet gets from a pool, in the subnet's transaction: the asked CIDR checked to lie
   * in the pool and clear of the pool's other subnets, or the first free block of `prefixlen`
   * (default the pool's); the project's quota of addresses checked.
   */
  async allocate(trx: Kysely<any>, pool: Resource, subnet: Resource): Promise<string> {
    if (subnet.ip_version !== pool.ip_version)
      throw badRequest(
        'subnets',
        `Cannot allocate IPv${subnet.ip_version} subnet from IPv${pool.ip_version} subnet pool`,
      );
    const asked = subnet.cidr !== NOT_SPECIFIED ? parseCidr(subnet.cidr as string) : undefined;
    const prefixlen =
      asked?.prefixlen ??
      (subnet.prefixlen === NOT_SPECIFIED || subnet.prefixlen === undefined
        ? (pool.default_prefixlen as number)
        : Number(subnet.prefixlen));
    if (!Number.isInteger(prefixlen)) throw invalidInput(`'${subnet.prefixlen}' is not an integer`);
    if (prefixlen < (pool.min_prefixlen as number))
      throw bad(
        'MinPrefixSubnetAllocationError',
        `Unable to allocate subnet with prefix length ${prefixlen}, minimum allowed prefix is ${pool.min_prefixlen}.`,
      );
    if (prefixlen > (pool.max_prefixlen as number))
      throw bad(
        'MaxPrefixSubnetAllocationError',
        `Unable to allocate subnet with prefix length ${prefixlen}, maximum allowed prefix is ${pool.max_prefixlen}.`,
      );
    const used = (
      await trx
        .selectFrom('subnets')
        .select(['cidr', 'project_id'])
        .where('subnetpool_id', '=', pool.id as string)
        .execute()
    ).map((r) => ({ cidr: r.cidr as string, project: r.project_id as string }));
    let cidr: string;
    if (asked) {
      cidr = asked.network;
      if (!cidrWithin(cidr, pool.prefixes as string[]))
        throw allocationError(`Cidr ${cidr} is not within the prefixes of subnet pool ${pool.id}`);
      if (used.some((u) => cidrsOverlap(parseCidr(u.cidr), asked)))
        throw allocationError(`Cidr ${cidr} overlaps a subnet already allocated from subnet pool ${pool.id}`);
    } else {
      const free = firstFreeBlock(
        pool.prefixes as string[],
        used.map((u) => u.cidr),
        prefixlen,
      );
      if (!free) throw allocationError(`Insufficient prefix space to allocate subnet size /${prefixlen}`);
      cidr = free;
    }
    if (pool.default_quota !== null && pool.default_quota !== undefined) {
      const mine = used
        .filter((u) => u.project === subnet.project_id)
        .reduce((n, u) => n + quotaUnits(u.cidr), 0n);
      if (mine + quotaUnits(cidr) > BigInt(pool.default_quota as number))
        throw new NeutronError(
          'conflict',
          'SubnetPoolQuotaExceeded',
          'Per-tenant subnet pool prefix quota exceeded.',
        );
    }
    return cidr;
  }
}
