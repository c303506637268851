import { randomUUID } from 'node:crypto';
import { DuplicateEntryError } from '@nimbus/db';
import { BadRequestError, ForbiddenError } from '@nimbus/errors';
import type { CredentialRepository, StoredCredential } from '../../db/ext/credential-repository';
import type { CredentialCipher } from './credential-cipher';
import { ec2CredentialId } from './ec2-signature';
import { ExpectingAttribute, ExtNotFound, StoreConflict } from './ext-errors';

/** A credential with its blob decrypted, as the API shows it. */
export interface Credential {
  id: string;
  userId: string;
  projectId: string | null;
  type: string;
  /** The secret document, a string (JSON for ec2). */
  blob: string;
  extra: Record<string, unknown>;
}

/** The EC2 view of an ec2 credential (OS-EC2). */
export interface Ec2Credential {
  userId: string;
  projectId: string | null;
  access: string;
  secret: string;
  trustId: string | null;
  /** Set when the credential was made with an application-credential token. */
  appCredId?: string;
  accessTokenId?: string;
}

/** The delegation the creating token carried; recorded in ec2 blobs so EC2 tokens keep that scope. */
export interface CredentialScope {
  trustId?: string;
  applicationCredentialId?: string;
  accessTokenId?: string;
}

/** Keystone's CredentialLimitExceeded. */
export class CredentialLimitExceeded extends ForbiddenError {
  constructor(limit: number) {
    super(`Unable to create additional credentials, maximum of ${limit} already exceeded for user.`, {
      code: 'IDENTITY_CREDENTIAL_LIMIT',
    });
  }
}

const notFound = (id: string) => new ExtNotFound('credential', id, 'IDENTITY_CREDENTIAL_NOT_FOUND');

function parseEc2Blob(blob: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob);
  } catch {
    throw new BadRequestError('Invalid blob in credential', { code: 'IDENTITY_VALIDATION' });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0)
    throw new ExpectingAttribute('blob', 'credential');
  const doc = parsed as Record<string, unknown>;
  if (doc.access === undefined || doc.access === null) throw new ExpectingAttribute('access', 'credential');
  return doc;
}

/**
 * Credentials (`/v3/credentials`) and their EC2 view (`/v3/users/{id}/credentials/OS-EC2`).
 * Blobs are encrypted at rest; ec2 credentials are named by the SHA-256 of their access key, so
 * the EC2 and S3 token APIs find them from the key alone.
 */
export class CredentialManager {
  constructor(
    private readonly repo: CredentialRepository,
    private readonly cipher: CredentialCipher,
    private readonly options: { userLimit: number } = { userLimit: -1 },
  ) {}

  private open(c: StoredCredential): Credential {
    return {
      id: c.id,
      userId: c.userId,
      projectId: c.projectId,
      type: c.type,
      blob: this.cipher.decrypt(c.encryptedBlob),
      extra: c.extra,
    };
  }

  async create(
    input: {
      userId: string;
      projectId?: string | null;
      type: string;
      blob: string;
      extra?: Record<string, unknown>;
    },
    scope: CredentialScope = {},
  ): Promise<Credential> {
    let blob = input.blob;
    let id = randomUUID().replaceAll('-', '');
    if (input.type.toLowerCase() === 'ec2') {
      const doc = parseEc2Blob(blob);
      id = ec2CredentialId(String(doc.access));
      if (scope.trustId) doc.trust_id = scope.trustId;
      if (scope.applicationCredentialId) doc.app_cred_id = scope.applicationCredentialId;
      if (scope.accessTokenId) doc.access_token_id = scope.accessTokenId;
      if (scope.trustId || scope.applicationCredentialId || scope.accessTokenId) blob = JSON.stringify(doc);
    }
    if (this.options.userLimit >= 0 && (await this.repo.count(input.userId)) >= this.options.userLimit)
      throw new CredentialLimitExceeded(this.options.userLimit);
    const sealed = this.cipher.encrypt(blob);
    try {
      await this.repo.create({
        id,
        userId: input.userId,
        projectId: input.projectId ?? null,
        type: input.type,
        ...sealed,
        extra: input.extra ?? {},
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw new StoreConflict('credential', `Duplicate entry found with ID ${id}`);
      throw err;
    }
    return {
      id,
      userId: input.userId,
      projectId: input.projectId ?? null,
      type: input.type,
      blob,
      extra: input.extra ?? {},
    };
  }

  async get(id: string): Promise<Credential> {
    const c = await this.repo.get(id);
    if (!c) throw notFound(id);
    return this.open(c);
  }

  /** The credential or undefined (policy targets are built before existence is known). */
  async find(id: string): Promise<Credential | undefined> {
    const c = await this.repo.get(id);
    return c && this.open(c);
  }

  async list(filter: { userId?: string; type?: string; projectId?: string } = {}): Promise<Credential[]> {
    return (await this.repo.list(filter)).map((c) => this.open(c));
  }

  /**
   * Updates a credential. Only the blob may change: owner, project and type are fixed once created
   * (a user could otherwise hand a credential to another user or project). The scope recorded in
   * an ec2 blob (trust, application credential, access token) cannot change either.
   */
  async update(
    id: string,
    changes: {
      blob?: string;
      projectId?: string | null;
      type?: string;
      userId?: string;
      extra?: Record<string, unknown>;
    },
  ): Promise<Credential> {
    const current = await this.get(id);
    for (const [field, key] of [
      ['user_id', 'userId'],
      ['project_id', 'projectId'],
      ['type', 'type'],
    ] as const) {
      if (changes[key] !== undefined && changes[key] !== current[key])
        throw new BadRequestError(`${field} can not be updated for credential`, {
          code: 'IDENTITY_VALIDATION',
        });
    }
    let blob = current.blob;
    if (changes.blob !== undefined) {
      if (current.type.toLowerCase() === 'ec2') {
        const next = parseEc2Blob(changes.blob);
        const old = JSON.parse(current.blob) as Record<string, unknown>;
        for (const key of ['trust_id', 'app_cred_id', 'access_token_id', 'access_id']) {
          if (old[key] !== next[key])
            throw new BadRequestError(`${key} can not be updated for credential`, {
              code: 'IDENTITY_VALIDATION',
            });
        }
      }
      blob = changes.blob;
      await this.repo.update(id, this.cipher.encrypt(blob));
    }
    const extra = changes.extra ? { ...current.extra, ...changes.extra } : current.extra;
    if (changes.extra) await this.repo.update(id, { extra });
    return { ...current, blob, extra };
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repo.delete(id))) throw notFound(id);
  }

  /** Creates an ec2 credential with random access and secret keys. */
  async createEc2(userId: string, projectId: string, scope: CredentialScope = {}): Promise<Ec2Credential> {
    const access = randomUUID().replaceAll('-', '');
    const secret = randomUUID().replaceAll('-', '');
    const doc: Record<string, unknown> = { access, secret, trust_id: scope.trustId ?? null };
    if (scope.applicationCredentialId) doc.app_cred_id = scope.applicationCredentialId;
    if (scope.accessTokenId) doc.access_token_id = scope.accessTokenId;
    const c = await this.create({ userId, projectId, type: 'ec2', blob: JSON.stringify(doc) });
    return toEc2(c);
  }

  async listEc2(userId: string): Promise<Ec2Credential[]> {
    return (await this.list({ userId, type: 'ec2' })).map(toEc2);
  }

  /** The ec2 credential with this access key, or undefined. */
  async findEc2(access: string): Promise<Ec2Credential | undefined> {
    const c = await this.find(ec2CredentialId(access));
    return c && c.type === 'ec2' ? toEc2(c) : undefined;
  }

  /** Removes every credential of a user (user deleted) or of a project (project deleted). */
  async deleteFor(f: { userId?: string; projectId?: string }): Promise<void> {
    await this.repo.deleteWhere(f);
  }
}

function toEc2(c: Credential): Ec2Credential {
  const doc = JSON.parse(c.blob) as Record<string, unknown>;
  const out: Ec2Credential = {
    userId: c.userId,
    projectId: c.projectId,
    access: String(doc.access),
    secret: typeof doc.secret === 'string' ? doc.secret : '',
    trustId: typeof doc.trust_id === 'string' ? doc.trust_id : null,
  };
  if (typeof doc.app_cred_id === 'string') out.appCredId = doc.app_cred_id;
  if (typeof doc.access_token_id === 'string') out.accessTokenId = doc.access_token_id;
  return out;
}
