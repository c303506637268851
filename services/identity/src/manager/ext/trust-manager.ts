import { randomUUID } from 'node:crypto';
import { BadRequestError, ForbiddenError } from '@nimbus/errors';
import type { TrustRecord, TrustRepository } from '../../db/ext/trust-repository';
import { assertUnrestricted } from './application-credential-manager';
import type { Caller } from './caller';
import type { ExtensionCoreAccess, RoleRef } from './core-access';
import { ExtNotFound, ForbiddenAction } from './ext-errors';
import { parseExpiry, storedToMs } from './iso-time';
import { resolveRoles } from './resolve-roles';

/** A trust with its roles resolved. */
export interface Trust extends Omit<TrustRecord, 'roleIds'> {
  roles: RoleRef[];
}

/** What a create request asks for (the API's body, in internal words). */
export interface CreateTrustInput {
  trustorUserId: string;
  trusteeUserId: string;
  impersonation: boolean;
  projectId?: string | null;
  roles?: { id?: string; name?: string }[];
  expiresAt?: string | null;
  remainingUses?: number | null;
  allowRedelegation?: boolean | null;
  redelegationCount?: number | null;
  extra?: Record<string, unknown>;
}

/** What a trust-scoped token is made of, as the token code needs it at issue and validation. */
export interface TrustScope {
  id: string;
  trustorUserId: string;
  trusteeUserId: string;
  impersonation: boolean;
  projectId: string | null;
  /** Delegated roles plus those they imply, all still held by the trustor on the project. */
  roleIds: string[];
  /** Seconds since the epoch, or null: a token must not outlive its trust. */
  expiresAt: number | null;
  redelegationCount: number;
}

const trustNotFound = (id: string) => new ExtNotFound('trust', id, 'IDENTITY_TRUST_NOT_FOUND');

/**
 * Trusts (OS-TRUST): a trustor delegates some of their roles on a project to a trustee, optionally
 * letting the trustee act as them (impersonation), for a limited number of uses or time, and
 * optionally re-delegable down a bounded chain. Deleting a trust deletes the trusts re-delegated
 * from it and revokes every token issued under any of them.
 */
export class TrustManager {
  constructor(
    private readonly repo: TrustRepository,
    private readonly core: ExtensionCoreAccess,
    private readonly options: { maxRedelegationCount: number; now?: () => number } = {
      maxRedelegationCount: 3,
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A live trust (not expired, uses left) or undefined. */
  private async live(id: string): Promise<TrustRecord | undefined> {
    const t = await this.repo.get(id);
    if (!t) return undefined;
    if (t.expiresAt && storedToMs(t.expiresAt) < this.now()) return undefined;
    if (t.remainingUses !== null && t.remainingUses <= 0) return undefined;
    return t;
  }

  /** A live trust; for re-delegated trusts the whole chain is checked too (Keystone's get_trust). */
  async get(id: string): Promise<Trust> {
    const t = await this.live(id);
    if (!t) throw trustNotFound(id);
    if (t.redelegatedTrustId) await this.checkChain(t);
    return this.present(t);
  }

  /** The trust or undefined (policy targets are built before existence is known). */
  async find(id: string): Promise<Trust | undefined> {
    const t = await this.live(id);
    return t && this.present(t);
  }

  async list(filter: { trustorUserId?: string; trusteeUserId?: string } = {}): Promise<Trust[]> {
    const out: Trust[] = [];
    for (const t of await this.repo.list(filter)) {
      if (t.expiresAt && storedToMs(t.expiresAt) < this.now()) continue;
      if (t.remainingUses !== null && t.remainingUses <= 0) continue;
      out.push(await this.present(t));
    }
    return out;
  }

  async create(input: CreateTrustInput, caller: Caller): Promise<Trust> {
    assertUnrestricted(caller, 'trusts');
    if (input.projectId && !input.roles?.length)
      throw new ForbiddenAction('At least one role should be specified');
    if (caller.userId !== input.trustorUserId)
      throw new ForbiddenAction('The authenticated user should match the trustor');
    if (!(await this.core.getUser(input.trusteeUserId)))
      throw new ExtNotFound('user', input.trusteeUserId, 'IDENTITY_USER_NOT_FOUND');
    const roles = await resolveRoles(this.core, input.roles ?? []);

    let parent: TrustRecord | undefined;
    if (caller.accessTokenId !== undefined && caller.trustId === undefined)
      throw new ForbiddenAction('Redelegation allowed for delegated by trust only');
    if (caller.trustId) {
      parent = await this.live(caller.trustId);
      if (!parent) throw trustNotFound(caller.trustId);
    }
    if (input.projectId) {
      if (!(await this.core.getProject(input.projectId)))
        throw new ExtNotFound('project', input.projectId, 'IDENTITY_PROJECT_NOT_FOUND');
      const held = new Set(await this.core.effectiveRoleIds(input.trustorUserId, input.projectId));
      for (const r of roles)
        if (!held.has(r.id)) throw new ExtNotFound('role', r.id, 'IDENTITY_ROLE_NOT_FOUND');
    }
    let expiresAt = input.expiresAt ? parseExpiry(input.expiresAt, this.now()).stored : null;

    const max = this.options.maxRedelegationCount;
    let requested = input.redelegationCount ?? undefined;
    const redelegatable = (input.allowRedelegation ?? false) && requested !== 0;
    let count: number | undefined;
    if (!redelegatable) {
      count = 0;
      requested = 0;
      if (input.remainingUses !== undefined && input.remainingUses !== null && input.remainingUses <= 0) {
        throw new BadRequestError('remaining_uses must be a positive integer or null.', {
          code: 'IDENTITY_VALIDATION',
        });
      }
    } else {
      if (requested !== undefined && requested > max) {
        throw new ForbiddenError(
          `Requested redelegation depth of ${requested} is greater than allowed ${max}`,
          { code: 'IDENTITY_TRUST_REDELEGATION' },
        );
      }
      if (input.remainingUses !== undefined && input.remainingUses !== null) {
        throw new BadRequestError('remaining_uses must not be set if redelegation is allowed', {
          code: 'IDENTITY_VALIDATION',
        });
      }
    }
    if (parent) {
      const remaining = parent.redelegationCount - 1;
      if (redelegatable && requested && requested !== remaining) {
        throw new ForbiddenError(
          'Modifying "redelegation_count" upon redelegation is forbidden. Omitting this parameter is advised.',
          { code: 'IDENTITY_TRUST_REDELEGATION' },
        );
      }
      count ??= remaining;
      const child = {
        expiresAt,
        remainingUses: input.remainingUses ?? null,
        roleIds: roles.map((r) => r.id),
        impersonation: input.impersonation,
      };
      for (const ancestor of await this.pedigree(parent)) {
        this.validateRedelegation(ancestor, child);
        expiresAt = child.expiresAt;
      }
    }
    count ??= requested ?? max;

    const record: TrustRecord = {
      id: randomUUID().replaceAll('-', ''),
      trustorUserId: input.trustorUserId,
      trusteeUserId: input.trusteeUserId,
      projectId: input.projectId ?? null,
      impersonation: input.impersonation,
      expiresAt,
      remainingUses: input.remainingUses ?? null,
      redelegatedTrustId: parent?.id ?? null,
      redelegationCount: count,
      roleIds: roles.map((r) => r.id),
      extra: input.extra ?? {},
    };
    await this.repo.create(record);
    return { ...withoutRoles(record), roles };
  }

  /** Deletes a trust, the trusts re-delegated from it, and revokes their tokens. */
  async delete(id: string, caller?: Caller): Promise<void> {
    if (caller) assertUnrestricted(caller, 'trusts');
    const t = await this.repo.get(id);
    if (!t) throw trustNotFound(id);
    await this.deleteTree(t);
  }

  private async deleteTree(t: TrustRecord): Promise<void> {
    for (const child of await this.repo.list({ redelegatedTrustId: t.id })) await this.deleteTree(child);
    await this.repo.delete(t.id);
    await this.core.revoke({ trustId: t.id });
  }

  /** Deletes every trust where the user is trustor or trustee (user deleted). */
  async deleteForUser(userId: string): Promise<void> {
    const all = [
      ...(await this.repo.list({ trustorUserId: userId })),
      ...(await this.repo.list({ trusteeUserId: userId })),
    ];
    for (const t of all) if (await this.repo.get(t.id)) await this.deleteTree(t);
  }

  /**
   * Authorizes a trustee's request for a trust-scoped token and spends one use. Throws 404 for
   * an unknown, expired or used-up trust, and 403 when the caller is not the trustee, an agent is
   * disabled, or the trustor no longer holds a delegated role.
   */
  async authorize(trustId: string, authenticatedUserId: string): Promise<TrustScope> {
    const t = await this.live(trustId);
    if (!t) throw trustNotFound(trustId);
    if (t.trusteeUserId !== authenticatedUserId)
      throw new ForbiddenError('You are not authorized to perform the requested action.', {
        code: 'IDENTITY_NOT_TRUSTEE',
      });
    const scope = await this.scopeOf(t);
    if (!scope)
      throw new ForbiddenError('You are not authorized to perform the requested action.', {
        code: 'IDENTITY_TRUST_UNUSABLE',
      });
    const used = await this.repo.consumeUse(trustId);
    if (used === 'missing') throw trustNotFound(trustId);
    if (used === 'exhausted')
      throw new ForbiddenError(`No remaining uses for trust: ${trustId}.`, {
        code: 'IDENTITY_TRUST_USED_UP',
      });
    return scope;
  }

  /**
   * The trust as a token validation needs it now, or undefined when it is gone, expired, an agent
   * is disabled, or the trustor lost a delegated role. Validation does not spend uses, so a
   * used-up trust still backs the tokens already issued under it.
   */
  async scope(trustId: string): Promise<TrustScope | undefined> {
    const t = await this.repo.get(trustId);
    if (!t) return undefined;
    if (t.expiresAt && storedToMs(t.expiresAt) < this.now()) return undefined;
    return this.scopeOf(t);
  }

  private async scopeOf(t: TrustRecord): Promise<TrustScope | undefined> {
    const trustor = await this.core.getUser(t.trustorUserId);
    const trustee = await this.core.getUser(t.trusteeUserId);
    if (!trustor?.enabled || !trustee?.enabled) return undefined;
    try {
      if (t.redelegatedTrustId) await this.checkChain(t);
    } catch {
      return undefined;
    }
    let roleIds: string[] = [];
    if (t.projectId) {
      const delegated = await this.core.expandImpliedRoles(t.roleIds);
      const held = new Set(await this.core.effectiveRoleIds(t.trustorUserId, t.projectId));
      if (delegated.some((r) => !held.has(r))) return undefined;
      roleIds = delegated;
    }
    return {
      id: t.id,
      trustorUserId: t.trustorUserId,
      trusteeUserId: t.trusteeUserId,
      impersonation: t.impersonation,
      projectId: t.projectId,
      roleIds,
      expiresAt: t.expiresAt ? storedToMs(t.expiresAt) / 1000 : null,
      redelegationCount: t.redelegationCount,
    };
  }

  private async pedigree(t: TrustRecord): Promise<TrustRecord[]> {
    const chain = [t];
    let cur = t;
    while (cur.redelegatedTrustId) {
      const next = await this.repo.get(cur.redelegatedTrustId);
      if (!next) break;
      chain.push(next);
      cur = next;
    }
    return chain;
  }

  /** Re-checks every link of a re-delegation chain, and that every intermediate trustee is enabled. */
  private async checkChain(t: TrustRecord): Promise<void> {
    const chain = await this.pedigree(t);
    for (let i = 1; i < chain.length; i++) {
      const parent = chain[i]!;
      const child = chain[i - 1]!;
      this.validateRedelegation(parent, { ...child });
      const agent = await this.core.getUser(parent.trusteeUserId);
      if (!agent?.enabled)
        throw new ForbiddenError('One of the trust agents is disabled or deleted', {
          code: 'IDENTITY_TRUST_AGENT',
        });
    }
  }

  private validateRedelegation(
    parent: TrustRecord,
    child: {
      expiresAt: string | null;
      remainingUses: number | null;
      roleIds: string[];
      impersonation: boolean;
    },
  ): void {
    const max = this.options.maxRedelegationCount;
    const depth = parent.redelegationCount;
    const fail = (m: string) => new ForbiddenError(m, { code: 'IDENTITY_TRUST_REDELEGATION' });
    if (!(depth > 0 && depth <= max))
      throw fail(`Remaining redelegation depth of ${depth} out of allowed range of [0..${max}]`);
    if (child.remainingUses !== null)
      throw fail(
        `Field "remaining_uses" is set to ${child.remainingUses} while it must not be set in order to redelegate a trust`,
      );
    if (child.expiresAt) {
      if (parent.expiresAt && parent.expiresAt < child.expiresAt)
        throw fail('Requested expiration time is more than redelegated trust can provide');
    } else {
      child.expiresAt = parent.expiresAt;
    }
    if (!child.roleIds.every((r) => parent.roleIds.includes(r)))
      throw fail('Some of requested roles are not in redelegated trust');
    if (!parent.impersonation && child.impersonation) {
      throw fail(
        `Impersonation is not allowed because redelegated trust does not specify impersonation. Redelegated trust id: ${parent.id}`,
      );
    }
  }

  private async present(t: TrustRecord): Promise<Trust> {
    const roles = (await Promise.all(t.roleIds.map((id) => this.core.getRole(id)))).filter(
      (r): r is RoleRef => r !== undefined,
    );
    return { ...withoutRoles(t), roles };
  }
}

function withoutRoles(t: TrustRecord): Omit<TrustRecord, 'roleIds'> {
  const { roleIds: _r, ...rest } = t;
  return rest;
}
