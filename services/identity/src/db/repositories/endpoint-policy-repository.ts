import type { Database } from '@nimbus/db';

/** What a policy is associated with: one endpoint, a service, or a service in a region. */
export type PolicyAssociationTarget = { endpointId: string } | { serviceId: string; regionId?: string };

/** One OS-ENDPOINT-POLICY association. */
export interface PolicyAssociationRecord {
  id: string;
  policyId: string;
  endpointId: string | null;
  serviceId: string | null;
  regionId: string | null;
}

type Row = {
  id: string;
  policy_id: string;
  endpoint_id: string | null;
  service_id: string | null;
  region_id: string | null;
};
const toRecord = (r: Row): PolicyAssociationRecord => ({
  id: r.id,
  policyId: r.policy_id,
  endpointId: r.endpoint_id,
  serviceId: r.service_id,
  regionId: r.region_id,
});

const columns = (t: PolicyAssociationTarget) =>
  'endpointId' in t
    ? { endpoint_id: t.endpointId, service_id: null, region_id: null }
    : { endpoint_id: null, service_id: t.serviceId, region_id: t.regionId ?? null };

/** Reads and writes the associations of OS-ENDPOINT-POLICY. */
export class EndpointPolicyRepository {
  constructor(private readonly db: Database) {}

  /** The association of exactly this target (at most one: a new one replaces the old). */
  find(target: PolicyAssociationTarget): Promise<PolicyAssociationRecord | undefined> {
    return this.findIn(this.db.kysely, target);
  }

  private async findIn(
    k: Database['kysely'],
    target: PolicyAssociationTarget,
  ): Promise<PolicyAssociationRecord | undefined> {
    let q = k.selectFrom('policy_association').selectAll();
    for (const [col, v] of Object.entries(columns(target)))
      q = v === null ? q.where(col, 'is', null) : q.where(col, '=', v);
    const row = (await q.executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  /** Associates `policyId` with the target, replacing the policy it had. */
  async put(id: string, policyId: string, target: PolicyAssociationTarget): Promise<void> {
    await this.db.transaction(async (t) => {
      const current = await this.findIn(t, target);
      if (current)
        await t
          .updateTable('policy_association')
          .set({ policy_id: policyId })
          .where('id', '=', current.id)
          .execute();
      else
        await t
          .insertInto('policy_association')
          .values({ id, policy_id: policyId, ...columns(target) })
          .execute();
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('policy_association').where('id', '=', id).execute();
  }

  listForPolicy(policyId: string): Promise<PolicyAssociationRecord[]> {
    return this.db.kysely
      .selectFrom('policy_association')
      .selectAll()
      .where('policy_id', '=', policyId)
      .execute()
      .then((rows) => (rows as Row[]).map(toRecord));
  }

  async deleteForPolicy(policyId: string): Promise<void> {
    await this.db.kysely.deleteFrom('policy_association').where('policy_id', '=', policyId).execute();
  }
}
