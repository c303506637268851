import type { SecurityGroupDocument, SecurityGroupRuleDocument } from '@nimbus/clients';

/** A Neutron ingress rule as Nova's network layer reads it (nova-network's rule shape). */
export interface NovaRule {
  id: string;
  parentGroupId: string;
  protocol: string | null;
  fromPort: number | null;
  toPort: number | null;
  groupId: string | null;
  cidr: string;
}

/** Who a rule's remote group is, as the view names it. */
export type GroupRef = { name: string; tenant_id: string };

/** Reads a Neutron rule as Nova does: whole port range for TCP/UDP without ports, -1 for the rest. */
export function novaRule(rule: SecurityGroupRuleDocument): NovaRule {
  let fromPort = rule.port_range_min ?? null;
  let toPort = rule.port_range_max ?? null;
  if (rule.protocol && fromPort === null && toPort === null) {
    const whole = ['TCP', 'UDP'].includes(rule.protocol.toUpperCase());
    fromPort = whole ? 1 : -1;
    toPort = whole ? 65535 : -1;
  }
  return {
    id: rule.id,
    parentGroupId: rule.security_group_id,
    protocol: rule.protocol ?? null,
    fromPort,
    toPort,
    groupId: rule.remote_group_id ?? null,
    cidr: rule.remote_ip_prefix || '0.0.0.0/0',
  };
}

/** The ingress rules of a group (Nova shows no egress rule). */
export function ingressRules(group: SecurityGroupDocument): NovaRule[] {
  const rules = (group.security_group_rules ?? []) as SecurityGroupRuleDocument[];
  return rules.filter((r) => r.direction === 'ingress').map(novaRule);
}

/** The group a view names for a rule's remote group. */
export function groupRef(group: SecurityGroupDocument): GroupRef {
  return { name: group.name, tenant_id: projectOf(group) };
}

/** A group's owner, under whichever name the network service gave it. */
export function projectOf(group: SecurityGroupDocument): string {
  return String(group.project_id ?? group.tenant_id ?? '');
}

/** One rule in Nova's view: `group` for a remote-group rule, else `ip_range`. */
export function ruleView(rule: NovaRule, remote: GroupRef | undefined): Record<string, unknown> {
  return {
    id: rule.id,
    parent_group_id: rule.parentGroupId,
    ip_protocol: rule.protocol,
    from_port: rule.fromPort,
    to_port: rule.toPort,
    group: rule.groupId && remote ? remote : {},
    ip_range: rule.groupId ? {} : { cidr: rule.cidr },
  };
}

/**
 * A group in Nova's view. `remotes` names the groups its rules refer to; a rule whose remote group
 * is not there (deleted meanwhile, or not visible) is left out, as Nova does.
 */
export function securityGroupView(
  group: SecurityGroupDocument,
  remotes: Map<string, GroupRef>,
): Record<string, unknown> {
  const rules = ingressRules(group)
    .filter((r) => !r.groupId || remotes.has(r.groupId))
    .map((r) => ruleView(r, r.groupId ? remotes.get(r.groupId) : undefined));
  return {
    id: group.id,
    description: (group.description as string | undefined) ?? '',
    name: group.name,
    tenant_id: projectOf(group),
    rules,
  };
}

/** Nova's list order: by project, then name. */
export function byProjectAndName(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = `${a.tenant_id as string}\u0000${a.name as string}`;
  const kb = `${b.tenant_id as string}\u0000${b.name as string}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
