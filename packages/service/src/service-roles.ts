import { BadRequestError } from '@nimbus/errors';
import type { RoleDefinition, ServiceDefinition } from './service-definition';

/** A role with the service it belongs to and its id. */
export interface ServiceRole {
  service: ServiceDefinition;
  role: RoleDefinition;
  /** `<service id>-<role name>`: what `nimbus serve` takes (`identity-api`, `object-storage-proxy`). */
  id: string;
}

/** Nimbus's id of a service: the prefix of its role ids. */
export function serviceId(service: ServiceDefinition): string {
  return service.id ?? service.type;
}

/** The roles of a service; the single-role form becomes one `api` role. */
export function serviceRoles(service: ServiceDefinition): readonly RoleDefinition[] {
  if (service.roles) return service.roles;
  const start = service.start;
  if (!start) throw new Error(`service ${service.type} declares neither roles nor start`);
  return [
    {
      name: 'api',
      description: `The ${service.name} API.`,
      http: { port: service.port ?? 0, catalogPath: service.catalogPath ?? '' },
      start: (ctx) => start(ctx),
    },
  ];
}

/** Every role of the given services, in start order. */
export function listRoles(services: readonly ServiceDefinition[]): ServiceRole[] {
  return services.flatMap((service) =>
    serviceRoles(service).map((role) => ({ service, role, id: `${serviceId(service)}-${role.name}` })),
  );
}

/** A name given to `nimbus serve` that matches no role, or more than one. */
export class UnknownRoleError extends BadRequestError {
  constructor(
    readonly roleName: string,
    readonly known: readonly string[],
    ambiguous = false,
  ) {
    super(
      ambiguous
        ? `Role '${roleName}' is ambiguous; give its full id: ${known.join(', ')}`
        : `Unknown role '${roleName}'. Roles: ${known.join(', ') || '(none)'} (nimbus serve --list)`,
      { code: 'SERVICE_UNKNOWN_ROLE' },
    );
  }
}

/**
 * Resolves role names as `nimbus serve` takes them: a role id (`object-storage-proxy`), an alias
 * (`object-store-api`), or a role name that only one service has (`object-replicator`). Each
 * role once, in the services' start order.
 */
export function selectRoles(services: readonly ServiceDefinition[], names: readonly string[]): ServiceRole[] {
  const all = listRoles(services);
  const chosen = new Set<ServiceRole>();
  for (const name of names) {
    const exact = all.find((r) => r.id === name || r.role.aliases?.includes(name));
    if (exact) {
      chosen.add(exact);
      continue;
    }
    const byName = all.filter((r) => r.role.name === name);
    if (byName.length === 1) chosen.add(byName[0]!);
    else if (byName.length > 1)
      throw new UnknownRoleError(
        name,
        byName.map((r) => r.id),
        true,
      );
    else
      throw new UnknownRoleError(
        name,
        all.map((r) => r.id),
      );
  }
  return all.filter((r) => chosen.has(r));
}

/**
 * Expands host names as `--host` takes them: `node7`, or a range `node[1-1000]` (simulated hosts).
 * Numbers keep the width of the range's first bound (`n[01-10]` → `n01`...`n10`).
 */
export function expandHosts(specs: readonly string[]): string[] {
  const hosts: string[] = [];
  for (const spec of specs) {
    const m = /^(.*)\[(\d+)-(\d+)\](.*)$/.exec(spec);
    if (!m) {
      hosts.push(spec);
      continue;
    }
    const [, prefix, from, to, suffix] = m as unknown as [string, string, string, string, string];
    for (let i = Number(from); i <= Number(to); i++)
      hosts.push(`${prefix}${String(i).padStart(from.length, '0')}${suffix}`);
  }
  return [...new Set(hosts)];
}
