import type { ServiceRole } from '@nimbus/service';

/** What a role runs, in a few words: its port, per host, its periodic tasks. */
function roleTraits(r: ServiceRole): string {
  const traits: string[] = [];
  if (r.role.http) traits.push(`port ${r.role.http.port}`);
  if (r.role.perHost) traits.push('per host');
  for (const rpc of r.role.rpc ?? []) traits.push(`rpc ${rpc.topic}`);
  const tasks = (r.role.periodic ?? []).map((t) => t.name).filter((n) => n !== r.role.name);
  if (tasks.length) traits.push(`tasks: ${tasks.join(', ')}`);
  if (r.role.aliases?.length) traits.push(`alias ${r.role.aliases.join(', ')}`);
  return traits.length ? ` [${traits.join('; ')}]` : '';
}

/** The table `nimbus serve --list` prints: one line per role, its id, description and traits. */
export function formatRoleList(roles: readonly ServiceRole[]): string {
  const width = Math.max(...roles.map((r) => r.id.length));
  return roles.map((r) => `${r.id.padEnd(width)}  ${r.role.description}${roleTraits(r)}`).join('\n');
}
