import { type Database, fromJson, run, toBoolean, toJson } from '@nimbus/db';

/** An identity provider trusted to assert users (OS-FEDERATION). */
export interface IdentityProviderRecord {
  id: string;
  enabled: boolean;
  description: string | null;
  domainId: string;
  authorizationTtl: number | null;
  remoteIds: string[];
}

/** A protocol of an identity provider, bound to a mapping. */
export interface ProtocolRecord {
  id: string;
  idpId: string;
  mappingId: string;
  remoteIdAttribute: string | null;
}

/** A mapping: rules turning assertions into local users, groups and projects. */
export interface MappingRecord {
  id: string;
  rules: unknown[];
  schemaVersion: string;
}

/** A remote Keystone this one can hand users to (K2K). */
export interface ServiceProviderRecord {
  id: string;
  enabled: boolean;
  description: string | null;
  authUrl: string;
  spUrl: string;
  relayStatePrefix: string;
}

type IdpRow = {
  id: string;
  enabled: unknown;
  description: string | null;
  domain_id: string;
  authorization_ttl: number | null;
};
type SpRow = {
  id: string;
  enabled: unknown;
  description: string | null;
  auth_url: string;
  sp_url: string;
  relay_state_prefix: string;
};
type ProtoRow = { id: string; idp_id: string; mapping_id: string; remote_id_attribute: string | null };

const toSp = (r: SpRow): ServiceProviderRecord => ({
  id: r.id,
  enabled: toBoolean(r.enabled),
  description: r.description,
  authUrl: r.auth_url,
  spUrl: r.sp_url,
  relayStatePrefix: r.relay_state_prefix,
});
const toProto = (r: ProtoRow): ProtocolRecord => ({
  id: r.id,
  idpId: r.idp_id,
  mappingId: r.mapping_id,
  remoteIdAttribute: r.remote_id_attribute,
});

/** Reads and writes identity providers, their remote ids and protocols, mappings and service providers. */
export class FederationRepository {
  constructor(private readonly db: Database) {}

  async createIdp(i: IdentityProviderRecord): Promise<void> {
    await this.db.transaction(async (t) => {
      await t
        .insertInto('identity_provider')
        .values({
          id: i.id,
          enabled: i.enabled,
          description: i.description,
          domain_id: i.domainId,
          authorization_ttl: i.authorizationTtl,
        })
        .execute();
      for (const r of i.remoteIds)
        await t.insertInto('idp_remote_id').values({ remote_id: r, idp_id: i.id }).execute();
    });
  }

  async getIdp(id: string): Promise<IdentityProviderRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('identity_provider')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as IdpRow | undefined;
    return row && (await this.hydrateIdps([row]))[0];
  }

  async listIdps(
    f: { enabled?: boolean; id?: string; domainId?: string } = {},
  ): Promise<IdentityProviderRecord[]> {
    let q = this.db.kysely.selectFrom('identity_provider').selectAll();
    if (f.id !== undefined) q = q.where('id', '=', f.id);
    if (f.domainId !== undefined) q = q.where('domain_id', '=', f.domainId);
    // Booleans are filtered here: SQLite and MariaDB store 0/1, PostgreSQL refuses comparing those.
    const rows = ((await q.orderBy('id').execute()) as IdpRow[]).filter(
      (r) => f.enabled === undefined || toBoolean(r.enabled) === f.enabled,
    );
    return this.hydrateIdps(rows);
  }

  /** Updates fields and, when given, replaces the remote ids. */
  async updateIdp(
    id: string,
    c: {
      enabled?: boolean;
      description?: string | null;
      authorizationTtl?: number | null;
      remoteIds?: string[];
    },
  ): Promise<void> {
    await this.db.transaction(async (t) => {
      const set: Record<string, unknown> = {};
      if (c.enabled !== undefined) set.enabled = c.enabled;
      if (c.description !== undefined) set.description = c.description;
      if (c.authorizationTtl !== undefined) set.authorization_ttl = c.authorizationTtl;
      if (Object.keys(set).length)
        await t.updateTable('identity_provider').set(set).where('id', '=', id).execute();
      if (c.remoteIds) {
        await t.deleteFrom('idp_remote_id').where('idp_id', '=', id).execute();
        for (const r of c.remoteIds)
          await t.insertInto('idp_remote_id').values({ remote_id: r, idp_id: id }).execute();
      }
    });
  }

  async deleteIdp(id: string): Promise<boolean> {
    return this.db.transaction(async (t) => {
      await t.deleteFrom('idp_remote_id').where('idp_id', '=', id).execute();
      await t.deleteFrom('federation_protocol').where('idp_id', '=', id).execute();
      const r = await t.deleteFrom('identity_provider').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async createProtocol(p: ProtocolRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('federation_protocol')
        .values({
          id: p.id,
          idp_id: p.idpId,
          mapping_id: p.mappingId,
          remote_id_attribute: p.remoteIdAttribute,
        })
        .execute(),
    );
  }

  async getProtocol(idpId: string, id: string): Promise<ProtocolRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('federation_protocol')
      .selectAll()
      .where('idp_id', '=', idpId)
      .where('id', '=', id)
      .executeTakeFirst()) as ProtoRow | undefined;
    return row && toProto(row);
  }

  async listProtocols(idpId: string): Promise<ProtocolRecord[]> {
    return (
      (await this.db.kysely
        .selectFrom('federation_protocol')
        .selectAll()
        .where('idp_id', '=', idpId)
        .orderBy('id')
        .execute()) as ProtoRow[]
    ).map(toProto);
  }

  async updateProtocol(p: ProtocolRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('federation_protocol')
        .set({ mapping_id: p.mappingId, remote_id_attribute: p.remoteIdAttribute })
        .where('idp_id', '=', p.idpId)
        .where('id', '=', p.id)
        .execute(),
    );
  }

  async deleteProtocol(idpId: string, id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely
        .deleteFrom('federation_protocol')
        .where('idp_id', '=', idpId)
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }

  async createMapping(m: MappingRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('federation_mapping')
        .values({ id: m.id, rules: toJson(m.rules), schema_version: m.schemaVersion })
        .execute(),
    );
  }

  async getMapping(id: string): Promise<MappingRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('federation_mapping')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as { id: string; rules: string; schema_version: string } | undefined;
    return row && { id: row.id, rules: fromJson(row.rules, []), schemaVersion: row.schema_version };
  }

  async listMappings(): Promise<MappingRecord[]> {
    const rows = (await this.db.kysely
      .selectFrom('federation_mapping')
      .selectAll()
      .orderBy('id')
      .execute()) as { id: string; rules: string; schema_version: string }[];
    return rows.map((r) => ({ id: r.id, rules: fromJson(r.rules, []), schemaVersion: r.schema_version }));
  }

  async updateMapping(m: MappingRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('federation_mapping')
        .set({ rules: toJson(m.rules), schema_version: m.schemaVersion })
        .where('id', '=', m.id)
        .execute(),
    );
  }

  async deleteMapping(id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely.deleteFrom('federation_mapping').where('id', '=', id).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }

  async createSp(s: ServiceProviderRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .insertInto('service_provider')
        .values({
          id: s.id,
          enabled: s.enabled,
          description: s.description,
          auth_url: s.authUrl,
          sp_url: s.spUrl,
          relay_state_prefix: s.relayStatePrefix,
        })
        .execute(),
    );
  }

  async getSp(id: string): Promise<ServiceProviderRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('service_provider')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as SpRow | undefined;
    return row && toSp(row);
  }

  async listSps(f: { enabled?: boolean; id?: string } = {}): Promise<ServiceProviderRecord[]> {
    let q = this.db.kysely.selectFrom('service_provider').selectAll();
    if (f.id !== undefined) q = q.where('id', '=', f.id);
    return ((await q.orderBy('id').execute()) as SpRow[])
      .map(toSp)
      .filter((s) => f.enabled === undefined || s.enabled === f.enabled);
  }

  async updateSp(s: ServiceProviderRecord): Promise<void> {
    await this.db.transaction((t) =>
      t
        .updateTable('service_provider')
        .set({
          enabled: s.enabled,
          description: s.description,
          auth_url: s.authUrl,
          sp_url: s.spUrl,
          relay_state_prefix: s.relayStatePrefix,
        })
        .where('id', '=', s.id)
        .execute(),
    );
  }

  async deleteSp(id: string): Promise<boolean> {
    const r = await run(() =>
      this.db.kysely.deleteFrom('service_provider').where('id', '=', id).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }

  private async hydrateIdps(rows: IdpRow[]): Promise<IdentityProviderRecord[]> {
    if (rows.length === 0) return [];
    const remotes = (await this.db.kysely
      .selectFrom('idp_remote_id')
      .selectAll()
      .where(
        'idp_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()) as { idp_id: string; remote_id: string }[];
    return rows.map((r) => ({
      id: r.id,
      enabled: toBoolean(r.enabled),
      description: r.description,
      domainId: r.domain_id,
      authorizationTtl: r.authorization_ttl === null ? null : Number(r.authorization_ttl),
      remoteIds: remotes.filter((x) => x.idp_id === r.id).map((x) => x.remote_id),
    }));
  }
}
