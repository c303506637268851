import { randomUUID } from 'node:crypto';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import { DuplicateEntryError } from '@nimbus/db';
import type { ProjectRepository } from '../../db/repositories/project-repository';
import type { UserRecord, UserRepository } from '../../db/repositories/user-repository';
import type { PasswordHasher } from '../../password/password-hasher';
import { authFailed } from '../auth/auth-errors';
import type { IdentityEvents } from '../identity-events';
import {
  checkMinimumAge,
  checkNewPassword,
  checkNotExpired,
  isLockedOut,
  passwordExpiresAt,
  type SecurityCompliance,
} from './security-compliance';

/** A user with its current password's expiry (seconds since the epoch, or null). */
export interface UserView extends UserRecord {
  passwordExpiresAt: number | null;
}

/** What creating a user takes. */
export interface UserInput {
  name: string;
  domainId: string;
  password?: string | null;
  enabled?: boolean;
  defaultProjectId?: string | null;
  options?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** How a login names its user: an id, or a name in a domain given by id or name. */
export interface UserRef {
  id?: string;
  name?: string;
  domain?: { id?: string; name?: string };
}

const seconds = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);
const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const DOMAIN_ROOT = '<<keystone.domain.root>>';

/** Keystone's UserNotFound (404). */
export function userNotFound(id: string): NotFoundError {
  return new NotFoundError(`Could not find user: ${id}.`, { code: 'IDENTITY_USER_NOT_FOUND' });
}

/**
 * Local users: CRUD, passwords (bcrypt, history, the `[security_compliance]` rules, self-service
 * change) and the `password` authentication method with lockout. Failed logins answer the same
 * 401 whatever went wrong, after the same bcrypt work, so nothing tells whether an account exists.
 */
export class UserManager {
  constructor(
    private readonly users: UserRepository,
    private readonly projects: ProjectRepository,
    private readonly hasher: PasswordHasher,
    private readonly compliance: SecurityCompliance,
    private readonly events: IdentityEvents,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  async get(id: string): Promise<UserView> {
    const u = await this.users.get(id);
    if (!u) throw userNotFound(id);
    return this.withExpiry(u);
  }

  async find(id: string): Promise<UserView | undefined> {
    const u = await this.users.get(id);
    return u && this.withExpiry(u);
  }

  async findByName(name: string, domainId: string): Promise<UserView | undefined> {
    const u = await this.users.getByName(name, domainId);
    return u && this.withExpiry(u);
  }

  async list(
    f: { domainId?: string; name?: string; enabled?: boolean; ids?: readonly string[] } = {},
  ): Promise<UserView[]> {
    const { ids, ...filter } = f;
    const list = (await this.users.list(filter)).filter((u) => !ids || ids.includes(u.id));
    return Promise.all(list.map((u) => this.withExpiry(u)));
  }

  async create(input: UserInput): Promise<UserView> {
    await this.requireDomain(input.domainId);
    const id = randomUUID().replaceAll('-', '');
    const now = this.now();
    let password: { hash: string; expiresAt: string | null; selfService: boolean } | undefined;
    if (typeof input.password === 'string') {
      await checkNewPassword(this.compliance, input.password, [], async () => false);
      const expires = this.expiryFor(input.options ?? {}, now, false);
      password = {
        hash: await this.hasher.hash(input.password),
        expiresAt: expires === undefined ? null : iso(expires),
        selfService: false,
      };
    }
    try {
      const u = await this.users.create(
        {
          id,
          name: input.name,
          domainId: input.domainId,
          enabled: input.enabled ?? true,
          defaultProjectId: input.defaultProjectId ?? null,
          options: input.options ?? {},
          extra: input.extra ?? {},
        },
        password,
      );
      return this.withExpiry(u);
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new ConflictError(
          `Conflict occurred attempting to store user - Duplicate entry found with name ${input.name} at domain ID ${input.domainId}.`,
        );
      throw err;
    }
  }

  async update(id: string, changes: Partial<UserInput>): Promise<UserView> {
    const before = await this.get(id);
    if (changes.domainId !== undefined && changes.domainId !== before.domainId)
      throw new BadRequestError('Cannot change Domain ID', { code: 'IDENTITY_VALIDATION' });
    const options =
      changes.options !== undefined ? pruneNulls({ ...before.options, ...changes.options }) : undefined;
    try {
      await this.users.update(id, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        ...(changes.defaultProjectId !== undefined ? { defaultProjectId: changes.defaultProjectId } : {}),
        ...(options !== undefined ? { options } : {}),
        ...(changes.extra !== undefined ? { extra: pruneNulls({ ...before.extra, ...changes.extra }) } : {}),
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new ConflictError(
          `Conflict occurred attempting to store user - Duplicate entry found with name ${changes.name} at domain ID ${before.domainId}.`,
        );
      throw err;
    }
    if (typeof changes.password === 'string')
      await this.setPassword(id, changes.password, false, options ?? before.options);
    if (before.enabled && changes.enabled === false) await this.events.userDisabled(id);
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.users.delete(id);
    await this.events.userDeleted(id);
  }

  /** `POST /v3/users/{id}/password`: the user changes their own password. */
  async changePassword(id: string, original: string, password: string): Promise<void> {
    const u = await this.get(id);
    const [current] = await this.users.passwords(id);
    if (!(await this.hasher.verify(original, current?.hash))) throw authFailed();
    if (u.options.lock_password === true)
      throw new ForbiddenError(
        `You are not authorized to perform the requested action: update_user_password.`,
        { code: 'IDENTITY_PASSWORD_LOCKED' },
      );
    if (current?.selfService) checkMinimumAge(this.compliance, seconds(current.createdAt), this.now());
    await this.setPassword(id, password, true, u.options);
  }

  /**
   * The `password` method. Throws the same 401 for an unknown user or domain, a wrong password, a
   * disabled user or domain, or a locked account; an expired password gets Keystone's own 401.
   */
  async authenticate(ref: UserRef, password: string): Promise<UserView> {
    const user = await this.resolve(ref);
    if (!user) {
      await this.hasher.spendVerifyTime(password);
      throw authFailed();
    }
    const now = this.now();
    const ignoreLockout = user.options.ignore_lockout_failure_attempts === true;
    const failures = await this.users.failures(user.id);
    if (
      !ignoreLockout &&
      isLockedOut(
        this.compliance,
        failures && { count: failures.count, lastFailureAt: seconds(failures.lastFailureAt)! },
        now,
      )
    ) {
      await this.hasher.spendVerifyTime(password);
      throw authFailed();
    }
    const [current] = await this.users.passwords(user.id);
    if (!(await this.hasher.verify(password, current?.hash))) {
      if (this.compliance.lockoutFailureAttempts && !ignoreLockout) {
        // A lockout that has run its course starts counting again.
        if (failures && failures.count >= this.compliance.lockoutFailureAttempts)
          await this.users.clearFailures(user.id);
        await this.users.recordFailure(user.id);
      }
      throw authFailed();
    }
    if (failures) await this.users.clearFailures(user.id);
    const domain = await this.projects.get(user.domainId);
    if (!user.enabled || !domain?.enabled) throw authFailed();
    if (user.options.ignore_password_expiry !== true)
      checkNotExpired(seconds(current?.expiresAt), now, user.id);
    return this.withExpiry(user);
  }

  private async resolve(ref: UserRef): Promise<UserRecord | undefined> {
    if (ref.id) return this.users.get(ref.id);
    if (!ref.name || !ref.domain) return undefined;
    let domainId = ref.domain.id;
    if (!domainId && ref.domain.name)
      domainId = (await this.projects.getByName(ref.domain.name, DOMAIN_ROOT))?.id;
    return domainId ? this.users.getByName(ref.name, domainId) : undefined;
  }

  private async setPassword(
    id: string,
    password: string,
    selfService: boolean,
    options: Record<string, unknown>,
  ): Promise<void> {
    // Only self-service changes are held to the password history; an admin reset is not (as upstream).
    const history = selfService ? (await this.users.passwords(id)).map((p) => p.hash) : [];
    await checkNewPassword(this.compliance, password, history, (p, h) => this.hasher.verify(p, h));
    const expires = this.expiryFor(options, this.now(), selfService);
    await this.users.addPassword(id, {
      hash: await this.hasher.hash(password),
      expiresAt: expires === undefined ? null : iso(expires),
      selfService,
    });
    await this.users.clearFailures(id);
    await this.events.passwordChanged(id);
  }

  private expiryFor(options: Record<string, unknown>, now: number, selfService: boolean): number | undefined {
    const c =
      options.ignore_change_password_upon_first_use === true
        ? { ...this.compliance, changePasswordUponFirstUse: false }
        : this.compliance;
    if (options.ignore_password_expiry === true && !(c.changePasswordUponFirstUse && !selfService))
      return undefined;
    return passwordExpiresAt(c, now, selfService);
  }

  private async withExpiry(u: UserRecord): Promise<UserView> {
    const [current] = await this.users.passwords(u.id);
    return { ...u, passwordExpiresAt: seconds(current?.expiresAt) ?? null };
  }

  private async requireDomain(id: string): Promise<void> {
    const d = await this.projects.get(id);
    if (!d?.isDomain)
      throw new NotFoundError(`Could not find domain: ${id}.`, { code: 'IDENTITY_DOMAIN_NOT_FOUND' });
  }
}

function pruneNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}
