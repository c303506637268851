import { randomUUID } from 'node:crypto';
import type { PolicyBlobRecord, PolicyBlobRepository } from '../../db/ext/policy-blob-repository';
import { ExtNotFound } from './ext-errors';

const notFound = (id: string) => new ExtNotFound('policy', id, 'IDENTITY_POLICY_NOT_FOUND');

/**
 * The legacy `/v3/policies` resource: Keystone stores these documents for other services but
 * never enforces them (Nimbus' own enforcement reads policy.yaml).
 */
export class PolicyBlobManager {
  constructor(private readonly repo: PolicyBlobRepository) {}

  async create(input: {
    type: string;
    blob: string;
    extra: Record<string, unknown>;
  }): Promise<PolicyBlobRecord> {
    const p = { id: randomUUID().replaceAll('-', ''), ...input };
    await this.repo.create(p);
    return p;
  }

  async get(id: string): Promise<PolicyBlobRecord> {
    const p = await this.repo.get(id);
    if (!p) throw notFound(id);
    return p;
  }

  list(f: { type?: string } = {}): Promise<PolicyBlobRecord[]> {
    return this.repo.list(f);
  }

  async update(
    id: string,
    changes: { type?: string; blob?: string; extra: Record<string, unknown> },
  ): Promise<PolicyBlobRecord> {
    const current = await this.get(id);
    const next = {
      id,
      type: changes.type ?? current.type,
      blob: changes.blob ?? current.blob,
      extra: { ...current.extra, ...changes.extra },
    };
    await this.repo.update(next);
    return next;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repo.delete(id))) throw notFound(id);
  }
}
