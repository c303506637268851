import type { Database } from '@nimbus/db';
import type { RevocationEvent } from '../../manager/revocation/revocation-event';

type Row = {
  id: number;
  domain_id: string | null;
  project_id: string | null;
  user_id: string | null;
  role_id: string | null;
  trust_id: string | null;
  consumer_id: string | null;
  access_token_id: string | null;
  application_credential_id: string | null;
  audit_id: string | null;
  audit_chain_id: string | null;
  issued_before: number;
  revoked_at: number;
};

const columns: [keyof RevocationEvent, keyof Row][] = [
  ['domainId', 'domain_id'],
  ['projectId', 'project_id'],
  ['userId', 'user_id'],
  ['roleId', 'role_id'],
  ['trustId', 'trust_id'],
  ['consumerId', 'consumer_id'],
  ['accessTokenId', 'access_token_id'],
  ['applicationCredentialId', 'application_credential_id'],
  ['auditId', 'audit_id'],
  ['auditChainId', 'audit_chain_id'],
];

function toEvent(r: Row): RevocationEvent {
  const e: RevocationEvent = { issuedBefore: Number(r.issued_before), revokedAt: Number(r.revoked_at) };
  for (const [field, column] of columns) {
    const v = r[column];
    if (v !== null && v !== undefined) (e as unknown as Record<string, unknown>)[field] = v;
  }
  return e;
}

/** Stores revocation events; each row carries a growing id so other processes can read only what is new. */
export class RevocationRepository {
  constructor(private readonly db: Database) {}

  async add(event: RevocationEvent): Promise<void> {
    const row: Record<string, unknown> = { issued_before: event.issuedBefore, revoked_at: event.revokedAt };
    for (const [field, column] of columns) row[column] = event[field] ?? null;
    await this.db.kysely.insertInto('revocation_event').values(row).execute();
  }

  /** Events with an id above `afterId`, oldest first, with the highest id seen. */
  async since(afterId: number): Promise<{ events: RevocationEvent[]; lastId: number }> {
    const rows = (await this.db.kysely
      .selectFrom('revocation_event')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .execute()) as Row[];
    return { events: rows.map(toEvent), lastId: rows.length ? Number(rows[rows.length - 1]!.id) : afterId };
  }

  /** Every event, for `GET /v3/OS-REVOKE/events` (optionally revoked since a time). */
  async list(revokedSince?: number): Promise<RevocationEvent[]> {
    let q = this.db.kysely.selectFrom('revocation_event').selectAll();
    if (revokedSince !== undefined) q = q.where('revoked_at', '>=', revokedSince);
    return ((await q.orderBy('id').execute()) as Row[]).map(toEvent);
  }

  /** Deletes events that can only match tokens issued before `olderThan` (long expired). */
  async prune(olderThan: number): Promise<void> {
    await this.db.kysely.deleteFrom('revocation_event').where('issued_before', '<', olderThan).execute();
  }
}
