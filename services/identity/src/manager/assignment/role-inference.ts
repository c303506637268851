/** An implied-role rule: holding `priorRoleId` also grants `impliedRoleId`. */
export interface ImpliedRole {
  priorRoleId: string;
  impliedRoleId: string;
}

/**
 * Expands role ids with everything they imply, transitively, as Keystone does when it builds a
 * token's roles. Cycles (which creation refuses) cannot loop here either.
 */
export function expandImpliedRoles(roleIds: Iterable<string>, rules: readonly ImpliedRole[]): string[] {
  const implies = new Map<string, string[]>();
  for (const r of rules) implies.set(r.priorRoleId, [...(implies.get(r.priorRoleId) ?? []), r.impliedRoleId]);
  const out = new Set<string>();
  const stack = [...roleIds];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const next of implies.get(id) ?? []) stack.push(next);
  }
  return [...out];
}

/** True when adding `prior → implied` would create a cycle (Keystone answers 403/409 to it). */
export function wouldCreateCycle(
  priorRoleId: string,
  impliedRoleId: string,
  rules: readonly ImpliedRole[],
): boolean {
  return priorRoleId === impliedRoleId || expandImpliedRoles([impliedRoleId], rules).includes(priorRoleId);
}
