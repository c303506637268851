import { randomBytes, randomUUID } from 'node:crypto';
import { DuplicateEntryError } from '@nimbus/db';
import { BadRequestError, ForbiddenError } from '@nimbus/errors';
import type {
  AccessRuleRecord,
  ApplicationCredentialRecord,
  ApplicationCredentialRepository,
} from '../../db/ext/application-credential-repository';
import type { PasswordHasher } from '../../password/password-hasher';
import type { Caller } from './caller';
import type { ExtensionCoreAccess, RoleRef } from './core-access';
import { ExtNotFound, ExtUnauthorized, ForbiddenAction, StoreConflict } from './ext-errors';
import { parseExpiry, storedToMs } from './iso-time';
import { resolveRoles } from './resolve-roles';

/** An application credential with its roles resolved; `secret` only right after creation. */
export interface ApplicationCredential extends Omit<ApplicationCredentialRecord, 'secretHash' | 'roleIds'> {
  roles: RoleRef[];
  secret?: string;
}

/** What a create request asks for. */
export interface CreateApplicationCredentialInput {
  name: string;
  description?: string | null;
  secret?: string | null;
  expiresAt?: string | null;
  roles?: { id?: string; name?: string }[];
  unrestricted?: boolean;
  accessRules?: { id?: string; service: string; path: string; method: string }[];
}

/** What a successful application-credential authentication gives the token code. */
export interface ApplicationCredentialIdentity {
  id: string;
  name: string;
  userId: string;
  projectId: string;
  /** The credential's roles the user still holds on the project. */
  roleIds: string[];
  unrestricted: boolean;
  /** Seconds since the epoch, or null for no expiry: tokens must not outlive it. */
  expiresAt: number | null;
  accessRules?: { service: string; method: string; path: string }[];
}

/** Keystone's ApplicationCredentialValidationError. */
export class InvalidApplicationCredential extends BadRequestError {
  constructor(detail: string) {
    super(`Invalid application credential: ${detail}`, { code: 'IDENTITY_APP_CRED_INVALID' });
  }
}

/** Keystone's ApplicationCredentialLimitExceeded. */
export class ApplicationCredentialLimitExceeded extends ForbiddenError {
  constructor(limit: number) {
    super(
      `Unable to create additional application credentials, maximum of ${limit} already exceeded for user.`,
      { code: 'IDENTITY_APP_CRED_LIMIT' },
    );
  }
}

const notFound = (id: string) => new ExtNotFound('Application Credential', id, 'IDENTITY_APP_CRED_NOT_FOUND');

/** Refuses management of credentials and trusts from a restricted application-credential token. */
export function assertUnrestricted(caller: Caller, what: 'application credentials' | 'trusts'): void {
  if (caller.isAdmin) return;
  if (
    caller.methods.includes('application_credential') &&
    caller.applicationCredential &&
    !caller.applicationCredential.unrestricted
  ) {
    throw new ForbiddenAction(
      what === 'trusts'
        ? "Using method 'application_credential' is not allowed for managing trusts"
        : "Using method 'application_credential' is not allowed for managing additional application credentials",
    );
  }
}

/**
 * Application credentials: a user delegates a subset of their roles on one project to a secret an
 * application uses to authenticate. Secrets are stored as password hashes; a credential can never
 * carry a role its user does not hold, and losing the role (or deleting the credential) ends it.
 */
export class ApplicationCredentialManager {
  constructor(
    private readonly repo: ApplicationCredentialRepository,
    private readonly core: ExtensionCoreAccess,
    private readonly hasher: PasswordHasher,
    private readonly options: { userLimit: number; now?: () => number } = { userLimit: -1 },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async create(
    userId: string,
    input: CreateApplicationCredentialInput,
    caller: Caller,
  ): Promise<ApplicationCredential> {
    assertUnrestricted(caller, 'application credentials');
    if (caller.userId !== userId)
      throw new ForbiddenAction('Cannot create an application credential for another user.');
    const projectId = caller.projectId;
    if (!projectId)
      throw new InvalidApplicationCredential(
        'an application credential must be created with a project-scoped token',
      );
    let roles: RoleRef[];
    if (input.roles?.length) {
      roles = await resolveRoles(this.core, input.roles);
      for (const r of roles)
        if (!caller.roleIds.includes(r.id))
          throw new InvalidApplicationCredential(
            'Cannot create an application credential with unassigned role',
          );
    } else {
      roles = (await Promise.all(caller.roleIds.map((id) => this.core.getRole(id)))).filter(
        (r): r is RoleRef => r !== undefined,
      );
    }
    const held = new Set(await this.core.effectiveRoleIds(userId, projectId));
    for (const r of roles) {
      if (!held.has(r.id)) {
        throw new InvalidApplicationCredential(
          `Could not find role assignment with role: ${r.id}, user or group: ${userId}, project, domain, or system: ${projectId}.`,
        );
      }
    }
    const expiresAt = input.expiresAt ? parseExpiry(input.expiresAt, this.now()).stored : null;
    if (this.options.userLimit >= 0 && (await this.repo.list({ userId })).length >= this.options.userLimit)
      throw new ApplicationCredentialLimitExceeded(this.options.userLimit);
    const secret = input.secret || randomBytes(64).toString('base64url');
    const id = randomUUID().replaceAll('-', '');
    let rec: ApplicationCredentialRecord;
    try {
      rec = await this.repo.create({
        id,
        name: input.name,
        secretHash: await this.hasher.hash(secret),
        description: input.description ?? null,
        userId,
        projectId,
        system: null,
        expiresAt,
        unrestricted: input.unrestricted ?? false,
        roleIds: roles.map((r) => r.id),
        accessRules: (input.accessRules ?? []).map((r) => ({
          id: r.id ?? randomUUID().replaceAll('-', ''),
          service: r.service,
          path: r.path,
          method: r.method,
        })),
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new StoreConflict('application_credential', `Duplicate entry found with name ${input.name}`);
      throw err;
    }
    return { ...(await this.present(rec)), secret };
  }

  async get(userId: string, id: string): Promise<ApplicationCredential> {
    const rec = await this.repo.get(id);
    if (!rec || rec.userId !== userId) throw notFound(id);
    return this.present(rec);
  }

  /** The credential's owner and id, or undefined: policy is checked against the real owner. */
  async find(id: string): Promise<{ id: string; userId: string } | undefined> {
    const rec = await this.repo.get(id);
    return rec && { id: rec.id, userId: rec.userId };
  }

  async list(userId: string, filter: { name?: string } = {}): Promise<ApplicationCredential[]> {
    return Promise.all((await this.repo.list({ userId, ...filter })).map((r) => this.present(r)));
  }

  /** Deletes a credential and revokes every token issued with it. */
  async delete(userId: string, id: string, caller: Caller): Promise<void> {
    assertUnrestricted(caller, 'application credentials');
    const rec = await this.repo.get(id);
    if (!rec || rec.userId !== userId) throw notFound(id);
    await this.repo.delete(id);
    await this.core.revoke({ applicationCredentialId: id });
  }

  /** Deletes a user's credentials (user deleted or disabled), or those on one project (role removed). */
  async deleteFor(userId: string, projectId?: string): Promise<void> {
    for (const rec of await this.repo.list({ userId, ...(projectId ? { projectId } : {}) })) {
      await this.repo.delete(rec.id);
      await this.core.revoke({ applicationCredentialId: rec.id });
    }
    if (!projectId) await this.repo.deleteAccessRulesOfUser(userId);
  }

  async listAccessRules(
    userId: string,
    filter: { service?: string; path?: string; method?: string } = {},
  ): Promise<AccessRuleRecord[]> {
    return this.repo.listAccessRules({ userId, ...filter });
  }

  async getAccessRule(userId: string, id: string): Promise<AccessRuleRecord> {
    const rule = await this.repo.getAccessRule(id);
    if (!rule || rule.userId !== userId)
      throw new ExtNotFound('Access Rule', id, 'IDENTITY_ACCESS_RULE_NOT_FOUND');
    return rule;
  }

  /** Deletes an access rule no credential uses; one still in use is refused (403), as Keystone. */
  async deleteAccessRule(userId: string, id: string): Promise<void> {
    await this.getAccessRule(userId, id);
    if (await this.repo.accessRuleInUse(id)) {
      throw new ForbiddenError(
        `Cannot delete access rule ${id}: it is in use by an application credential.`,
        { code: 'IDENTITY_ACCESS_RULE_IN_USE' },
      );
    }
    await this.repo.deleteAccessRule(id);
  }

  /**
   * Verifies an application-credential login (by id, or by name with the owner's id or name and
   * domain). Every failure is the same 401, so nothing tells which part was wrong.
   */
  async authenticate(input: {
    id?: string;
    name?: string;
    secret: string;
    user?: { id?: string; name?: string; domain?: { id?: string; name?: string } };
  }): Promise<ApplicationCredentialIdentity> {
    const fail = () => new ExtUnauthorized('IDENTITY_APP_CRED_AUTH');
    let rec: ApplicationCredentialRecord | undefined;
    if (input.id) rec = await this.repo.get(input.id);
    else if (input.name && input.user) {
      let userId = input.user.id;
      if (!userId && input.user.name && input.user.domain) {
        let domainId = input.user.domain.id;
        if (!domainId && input.user.domain.name)
          domainId = (await this.core.getDomainByName(input.user.domain.name))?.id;
        if (domainId) userId = (await this.core.getUserByName(input.user.name, domainId))?.id;
      }
      if (userId) rec = await this.repo.getByName(userId, input.name);
    }
    const ok = await this.hasher.verify(input.secret, rec?.secretHash);
    if (!rec || !ok || !rec.projectId) throw fail();
    if (rec.expiresAt && storedToMs(rec.expiresAt) <= this.now()) throw fail();
    const identity = await this.identity(rec.id);
    if (!identity) throw fail();
    return identity;
  }

  /**
   * The credential as a token validation needs it now: undefined when deleted or expired. Roles
   * are those of the credential the user still holds on its project.
   */
  async identity(id: string): Promise<ApplicationCredentialIdentity | undefined> {
    const rec = await this.repo.get(id);
    if (!rec?.projectId) return undefined;
    const expiresMs = rec.expiresAt ? storedToMs(rec.expiresAt) : null;
    if (expiresMs !== null && expiresMs <= this.now()) return undefined;
    const held = new Set(await this.core.effectiveRoleIds(rec.userId, rec.projectId));
    const out: ApplicationCredentialIdentity = {
      id: rec.id,
      name: rec.name,
      userId: rec.userId,
      projectId: rec.projectId,
      roleIds: rec.roleIds.filter((r) => held.has(r)),
      unrestricted: rec.unrestricted,
      expiresAt: expiresMs === null ? null : expiresMs / 1000,
    };
    if (rec.accessRules.length)
      out.accessRules = rec.accessRules.map((r) => ({ service: r.service, method: r.method, path: r.path }));
    return out;
  }

  private async present(rec: ApplicationCredentialRecord): Promise<ApplicationCredential> {
    const { secretHash: _hash, roleIds, ...rest } = rec;
    const roles = (await Promise.all(roleIds.map((id) => this.core.getRole(id)))).filter(
      (r): r is RoleRef => r !== undefined,
    );
    return { ...rest, roles };
  }
}
