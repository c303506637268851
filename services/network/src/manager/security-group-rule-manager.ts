import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource, ResourceStore, type Scope } from '../db/resource-store';
import { parseCidr } from './ip-math';
import { NeutronError, notFoundErrors, securityGroupRuleExists } from './network-errors';

/** Stored rule attributes. */
export const ruleColumns = {
  security_group_id: 'string',
  remote_group_id: 'string',
  remote_address_group_id: 'string',
  direction: 'string',
  ethertype: 'string',
  protocol: 'string',
  port_range_min: 'int',
  port_range_max: 'int',
  remote_ip_prefix: 'string',
  normalized_cidr: 'string',
} as const;

/** Protocol names Neutron accepts, and their numbers. */
const PROTOCOLS: Record<string, number> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ipip: 4,
  'ipv6-encap': 41,
  'ipv6-frag': 44,
  'ipv6-icmp': 58,
  icmpv6: 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  'ipv6-route': 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};
const PORTED = new Set(['tcp', 'udp', 'dccp', 'sctp', 'udplite', '6', '17', '33', '132', '136']);
/** Protocols of IPv6 alone, by name and number: an IPv4 rule may not name them. */
const IPV6_ONLY = new Set([
  'ipv6-encap',
  'ipv6-frag',
  'ipv6-icmp',
  'icmpv6',
  'ipv6-nonxt',
  'ipv6-opts',
  'ipv6-route',
  '41',
  '43',
  '44',
  '58',
  '59',
  '60',
]);
const ICMP = new Set(['icmp', 'icmpv6', 'ipv6-icmp', '1', '58']);

const bad = (type: string, message: string) => new NeutronError('bad_request', type, message);

/** Who sees a rule: its project, the owner of its group; admins all. */
export function ruleScope(ctx: CallContext): Scope | undefined {
  if (ctx.isAdmin) return undefined;
  const project = ctx.projectId ?? '';
  return (qb) =>
    qb.where((eb) =>
      eb.or([
        eb('project_id', '=', project),
        eb(
          'security_group_id',
          'in',
          eb.selectFrom('security_groups').select('id').where('project_id', '=', project),
        ),
      ]),
    );
}

/**
 * Security group rules: protocols by name or number, port ranges (ICMP type and code), remote
 * prefix normalised and matched to the ethertype, one remote kind at most, duplicates refused.
 */
export class SecurityGroupRuleManager implements ResourceHandlers {
  readonly store: ResourceStore;

  constructor(private readonly db: Database<any>) {
    this.store = new ResourceStore(db, 'security_group_rules', ruleColumns);
  }

  list(ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return this.store.list(query, ruleScope(ctx));
  }

  get(ctx: CallContext, id: string): Promise<Resource | undefined> {
    return this.store.get(this.db.kysely, id, ruleScope(ctx));
  }

  async policyTarget(_ctx: CallContext, item: Resource): Promise<Record<string, unknown>> {
    const sg = await this.db.kysely
      .selectFrom('security_groups')
      .select('project_id')
      .where('id', '=', item.security_group_id as string)
      .executeTakeFirst();
    return sg
      ? { 'security_group:tenant_id': sg.project_id, 'security_group:project_id': sg.project_id }
      : {};
  }

  /** Validates and normalises a rule body (Neutron's checks, in its order). */
  private normalise(item: Resource): Resource {
    let protocol = item.protocol as string | null;
    if (protocol === 'any') protocol = null;
    if (protocol !== null) {
      const n = /^\d+$/.test(protocol) ? Number(protocol) : undefined;
      if (n === undefined ? !(protocol in PROTOCOLS) : n > 255) {
        throw bad(
          'SecurityGroupRuleInvalidProtocol',
          `Security group rule protocol ${protocol} not supported. Only protocol values [None, ${Object.keys(
            PROTOCOLS,
          )
            .map((p) => `'${p}'`)
            .join(', ')}] and integer representations [0 to 255] are supported.`,
        );
      }
    }
    if (protocol !== null && item.ethertype === 'IPv4' && IPV6_ONLY.has(protocol))
      throw bad(
        'SecurityGroupEthertypeConflictWithProtocol',
        `Invalid ethertype ${item.ethertype} for protocol ${protocol}.`,
      );
    const min = item.port_range_min as number | null;
    const max = item.port_range_max as number | null;
    if ((min !== null || max !== null) && protocol === null)
      throw bad(
        'SecurityGroupProtocolRequiredWithPorts',
        'Must also specify protocol if port range is given.',
      );
    if (protocol && PORTED.has(protocol) && (min !== null || max !== null)) {
      for (const p of [min, max])
        if (p !== null && (p < 1 || p > 65535))
          throw bad('SecurityGroupInvalidPortValue', `Invalid value for port ${p}.`);
      if (min === null || max === null || min > max)
        throw bad(
          'SecurityGroupInvalidPortRange',
          'For TCP/UDP protocols, port_range_min must be <= port_range_max',
        );
    } else if (protocol && ICMP.has(protocol)) {
      for (const [field, v] of [
        ['type', min],
        ['code', max],
      ] as const) {
        if (v !== null && (v < 0 || v > 255))
          throw bad(
            'SecurityGroupInvalidIcmpValue',
            `Invalid value for ICMP ${field} (port-range-${field === 'type' ? 'min' : 'max'}): ${v}.`,
          );
      }
      if (min === null && max !== null)
        throw bad(
          'SecurityGroupMissingIcmpType',
          `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
        );
    }
    if (item.remote_ip_prefix && item.remote_group_id)
      throw bad(
        'SecurityGroupRemoteGroupAndRemoteIpPrefix',
        'Only remote_ip_prefix or remote_group_id may be provided.',
      );
    let normalized: string | null = null;
    let prefix: string | null = null;
    if (item.remote_ip_prefix) {
      const text = String(item.remote_ip_prefix);
      prefix = text;
      const cidr = parseCidr(prefix);
      normalized = cidr.network;
      if ((cidr.version === 4 ? 'IPv4' : 'IPv6') !== item.ethertype) {
        throw bad(
          'SecurityGroupRuleParameterConflict',
          `Conflicting value ethertype ${item.ethertype} for CIDR ${text}`,
        );
      }
    }
    return { ...item, protocol, remote_ip_prefix: prefix, normalized_cidr: normalized };
  }

  async create(ctx: CallContext, item: Resource): Promise<Resource> {
    const rule = this.normalise(item);
    return inTransaction(this.db, async (trx) => {
      let sgq = trx
        .selectFrom('security_groups')
        .select(['id', 'project_id'])
        .where('id', '=', rule.security_group_id as string);
      if (!ctx.isAdmin) sgq = sgq.where('project_id', '=', ctx.projectId ?? '');
      if (!(await sgq.executeTakeFirst()))
        throw notFoundErrors.security_group(rule.security_group_id as string);
      if (rule.remote_group_id) {
        const remote = await trx
          .selectFrom('security_groups')
          .select('id')
          .where('id', '=', rule.remote_group_id as string)
          .executeTakeFirst();
        if (!remote) throw notFoundErrors.security_group(rule.remote_group_id as string);
      }
      // Candidates share the group, direction, ethertype and ports; nulls are compared below.
      let candidates = trx
        .selectFrom('security_group_rules')
        .selectAll()
        .where('security_group_id', '=', rule.security_group_id as string)
        .where('direction', '=', rule.direction as string)
        .where('ethertype', '=', rule.ethertype as string);
      if (rule.port_range_min !== null)
        candidates = candidates.where('port_range_min', '=', rule.port_range_min as number);
      const existing = (await candidates.execute()).map((r) => this.store.fromRow(r));
      const key = (r: Resource) =>
        JSON.stringify([
          r.direction,
          r.ethertype,
          r.protocol,
          r.port_range_min,
          r.port_range_max,
          r.normalized_cidr,
          r.remote_group_id,
          r.remote_address_group_id,
        ]);
      const dup = existing.find((r) => key(r) === key(rule));
      if (dup) throw securityGroupRuleExists(dup.id as string);
      const row = await this.store.insert(trx, { ...rule, id: randomUUID() });
      await trx
        .updateTable('security_groups')
        .set({ revision_number: (eb: any) => eb('revision_number', '+', 1) })
        .where('id', '=', rule.security_group_id as string)
        .execute();
      return row;
    });
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, current.id as string, changes);
      return (await this.store.get(trx, current.id as string))!;
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await this.store.delete(trx, current.id as string);
      await trx
        .updateTable('security_groups')
        .set({ revision_number: (eb: any) => eb('revision_number', '+', 1) })
        .where('id', '=', current.security_group_id as string)
        .execute();
    });
  }

  async setTags(): Promise<void> {
    throw new NeutronError('not_found', 'HTTPNotFound', 'The resource could not be found.');
  }
}
