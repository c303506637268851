import { ConflictError } from '@nimbus/errors';
import type { ExtensionCoreAccess, RoleRef } from './core-access';
import { ExtNotFound } from './ext-errors';

/**
 * Resolves `[{id}|{name}]` role references as Keystone's get_unique_role_by_name does: a name
 * must match exactly one global role. Unknown roles are 404 RoleNotFound.
 */
export async function resolveRoles(
  core: ExtensionCoreAccess,
  refs: readonly { id?: string; name?: string }[],
): Promise<RoleRef[]> {
  const out: RoleRef[] = [];
  for (const ref of refs) {
    let role: RoleRef | undefined;
    if (ref.id) role = await core.getRole(ref.id);
    else if (ref.name) {
      const matches = (await core.findRolesByName(ref.name)).filter((r) => r.domainId === null);
      if (matches.length > 1)
        throw new ConflictError(
          `Conflict occurred attempting to store role - Multiple roles named ${ref.name}.`,
          { code: 'IDENTITY_CONFLICT' },
        );
      role = matches[0];
    }
    if (!role) throw new ExtNotFound('role', ref.id ?? ref.name ?? '', 'IDENTITY_ROLE_NOT_FOUND');
    if (!out.some((r) => r.id === role.id)) out.push(role);
  }
  return out;
}
