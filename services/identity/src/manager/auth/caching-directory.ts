import type { AuthDirectory } from './auth-directory';

/**
 * An AuthDirectory that remembers answers for a short time, for token validation: every API call
 * of every service validates a token, and the user, project, roles and catalog rarely change.
 * Everything is forgotten at once when `generation()` moves (a revocation event, or a role or
 * membership removed), so a disabled user or a revoked role is never served from the cache;
 * other changes (a rename, a new grant) show within `ttlMs`.
 */
export function cachingDirectory(
  inner: AuthDirectory,
  generation: () => number,
  ttlMs = 1000,
  now: () => number = Date.now,
): AuthDirectory {
  let seen = generation();
  let cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const memo =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const g = generation();
      if (g !== seen) {
        seen = g;
        cache = new Map();
      }
      const key = `${name}\u0000${JSON.stringify(args)}`;
      const t = now();
      const hit = cache.get(key);
      if (hit && t - hit.at < ttlMs) return hit.value as Promise<R>;
      if (cache.size > 50_000) cache = new Map();
      const value = fn(...args);
      cache.set(key, { at: t, value });
      value.catch(() => cache.delete(key));
      return value;
    };
  return {
    passwordLogin: (ref, password) => inner.passwordLogin(ref, password),
    user: memo('user', (id: string) => inner.user(id)),
    project: memo('project', (id: string) => inner.project(id)),
    projectByName: memo('projectByName', (name: string, domainId: string) =>
      inner.projectByName(name, domainId),
    ),
    domain: memo('domain', (id: string) => inner.domain(id)),
    domainByName: memo('domainByName', (name: string) => inner.domainByName(name)),
    roleIds: memo('roleIds', (userId: string, scope: Parameters<AuthDirectory['roleIds']>[1]) =>
      inner.roleIds(userId, scope),
    ),
    roles: memo('roles', (ids: readonly string[]) => inner.roles(ids)),
    expandRoles: memo('expandRoles', (ids: readonly string[]) => inner.expandRoles(ids)),
    catalog: memo('catalog', (projectId: string | undefined) => inner.catalog(projectId)),
    projectsForUser: (userId) => inner.projectsForUser(userId),
    domainsForUser: (userId) => inner.domainsForUser(userId),
    totpSecrets: (userId) => inner.totpSecrets(userId),
  };
}
