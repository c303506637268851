import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import { DuplicateEntryError } from '@nimbus/db';
import type { RoleRecord, RoleRepository } from '../../db/repositories/role-repository';
import type { IdentityEvents } from '../identity-events';
import { type ImpliedRole, wouldCreateCycle } from './role-inference';

/** Keystone's RoleNotFound (404). */
export function roleNotFound(id: string): NotFoundError {
  return new NotFoundError(`Could not find role: ${id}.`, { code: 'IDENTITY_ROLE_NOT_FOUND' });
}

/** Keystone's `[assignment] prohibited_implied_role`. */
const PROHIBITED_IMPLIED = ['admin'];

/**
 * Roles, global or specific to a domain, and the implied-role rules between them. Deleting a
 * role drops its assignments and rules with it (the tables cascade) and announces it.
 */
export class RoleManager {
  private rulesCache: ImpliedRole[] | undefined;
  private rolesCache: Map<string, RoleRecord> | undefined;

  constructor(
    private readonly roles: RoleRepository,
    private readonly events: IdentityEvents,
  ) {}

  async get(id: string): Promise<RoleRecord> {
    const r = await this.roles.getRole(id);
    if (!r) throw roleNotFound(id);
    return r;
  }

  find(id: string): Promise<RoleRecord | undefined> {
    return this.roles.getRole(id);
  }

  /** Global roles, or one domain's roles when `domainId` is given (Keystone's default filter). */
  list(f: { name?: string; domainId?: string | null } = {}): Promise<RoleRecord[]> {
    return this.roles.listRoles({
      domainId: f.domainId ?? null,
      ...(f.name !== undefined ? { name: f.name } : {}),
    });
  }

  /** Roles with this name, global and domain-specific. */
  findByName(name: string): Promise<RoleRecord[]> {
    return this.roles.listRoles({ name });
  }

  /** Roles by id, in the given order, unknown ids left out (served from a cache of every role). */
  async byIds(ids: readonly string[]): Promise<RoleRecord[]> {
    const all = await this.allRoles(ids);
    return ids.map((id) => all.get(id)).filter((r): r is RoleRecord => r !== undefined);
  }

  /**
   * Drops domain-specific roles: they never appear in tokens or effective assignments, they only
   * bring in the global roles they imply (as upstream).
   */
  async withoutDomainRoles(ids: readonly string[]): Promise<string[]> {
    const all = await this.allRoles(ids);
    return ids.filter((id) => all.get(id)?.domainId === null);
  }

  /** Every role by id; reloaded when one of `wanted` is unknown (another process may have made it). */
  private async allRoles(wanted: readonly string[]): Promise<Map<string, RoleRecord>> {
    if (!this.rolesCache || wanted.some((id) => !this.rolesCache!.has(id))) {
      this.rolesCache = new Map((await this.roles.listRoles({})).map((r) => [r.id, r]));
    }
    return this.rolesCache;
  }

  async create(input: {
    id?: string;
    name: string;
    domainId: string | null;
    description: string;
    options: Record<string, unknown>;
  }): Promise<RoleRecord> {
    try {
      const created = await this.roles.createRole({
        ...input,
        id: input.id ?? randomUUID().replaceAll('-', ''),
      });
      this.rolesCache = undefined;
      return created;
    } catch (err) {
      if (err instanceof DuplicateEntryError) {
        throw new ConflictError(
          `Conflict occurred attempting to store role - Duplicate entry found with name ${input.name}${input.domainId ? ` at domain ID ${input.domainId}` : ''}.`,
        );
      }
      throw err;
    }
  }

  async update(
    id: string,
    changes: Partial<Pick<RoleRecord, 'name' | 'description' | 'options'>>,
  ): Promise<RoleRecord> {
    const before = await this.get(id);
    this.refuseImmutable(before, changes.options);
    try {
      await this.roles.updateRole(id, {
        ...changes,
        ...(changes.options ? { options: pruneNulls({ ...before.options, ...changes.options }) } : {}),
      });
      this.rolesCache = undefined;
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new ConflictError(
          `Conflict occurred attempting to store role - Duplicate entry found with name ${changes.name}.`,
        );
      throw err;
    }
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    const r = await this.get(id);
    if (r.options.immutable === true)
      throw new ForbiddenError(
        `Unable to delete immutable role resource: \`${id}. Set resource option "immutable" to false first.`,
        { code: 'IDENTITY_IMMUTABLE' },
      );
    await this.roles.deleteRole(id);
    this.rulesCache = undefined;
    this.rolesCache = undefined;
    await this.events.roleDeleted(id);
  }

  /** Every implied-role rule (cached; rules change rarely and validation reads them often). */
  async rules(): Promise<ImpliedRole[]> {
    this.rulesCache ??= await this.roles.impliedRoles();
    return this.rulesCache;
  }

  async createImplied(
    priorId: string,
    impliedId: string,
  ): Promise<{ prior: RoleRecord; implied: RoleRecord }> {
    const implied = await this.get(impliedId);
    const prior = await this.get(priorId);
    if (PROHIBITED_IMPLIED.includes(implied.name))
      throw new ForbiddenError(`${impliedId} cannot be an implied roles.`, {
        code: 'IDENTITY_INVALID_IMPLIED_ROLE',
      });
    if (prior.domainId === null && implied.domainId !== null)
      throw new ForbiddenError('Global role cannot imply a domain-specific role', {
        code: 'IDENTITY_INVALID_IMPLIED_ROLE',
      });
    const rules = await this.rules();
    if (rules.some((r) => r.priorRoleId === priorId && r.impliedRoleId === impliedId))
      return { prior, implied };
    if (wouldCreateCycle(priorId, impliedId, rules))
      throw new ForbiddenError(`${impliedId} cannot be an implied roles.`, {
        code: 'IDENTITY_INVALID_IMPLIED_ROLE',
      });
    await this.roles.addImpliedRole({ priorRoleId: priorId, impliedRoleId: impliedId });
    this.rulesCache = undefined;
    return { prior, implied };
  }

  async getImplied(priorId: string, impliedId: string): Promise<{ prior: RoleRecord; implied: RoleRecord }> {
    const prior = await this.get(priorId);
    const implied = await this.get(impliedId);
    if (!(await this.rules()).some((r) => r.priorRoleId === priorId && r.impliedRoleId === impliedId)) {
      throw new NotFoundError(`${priorId} does not imply ${impliedId}.`, {
        code: 'IDENTITY_IMPLIED_ROLE_NOT_FOUND',
      });
    }
    return { prior, implied };
  }

  async deleteImplied(priorId: string, impliedId: string): Promise<void> {
    await this.getImplied(priorId, impliedId);
    await this.roles.removeImpliedRole({ priorRoleId: priorId, impliedRoleId: impliedId });
    this.rulesCache = undefined;
    await this.events.roleDeleted(impliedId);
  }

  /** Roles directly implied by `priorId`. */
  async impliedBy(priorId: string): Promise<RoleRecord[]> {
    await this.get(priorId);
    return this.byIds(
      (await this.rules()).filter((r) => r.priorRoleId === priorId).map((r) => r.impliedRoleId),
    );
  }

  private refuseImmutable(role: RoleRecord, options: Record<string, unknown> | undefined): void {
    const unsettingImmutable = options && 'immutable' in options && options.immutable !== true;
    if (role.options.immutable === true && !unsettingImmutable)
      throw new ForbiddenError(
        `Unable to update immutable role resource: \`${role.id}. Set resource option "immutable" to false first.`,
        { code: 'IDENTITY_IMMUTABLE' },
      );
  }
}

function pruneNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}
