import { DuplicateEntryError } from '@nimbus/db';
import { BadRequestError } from '@nimbus/errors';
import type {
  FederationRepository,
  IdentityProviderRecord,
  MappingRecord,
  ProtocolRecord,
  ServiceProviderRecord,
} from '../../db/ext/federation-repository';
import type { ExtensionCoreAccess } from './core-access';
import { ExpectingAttribute, PlainNotFound, StoreConflict } from './ext-errors';
import { validateMappingRules } from './mapping-rules';

/** Keystone's default `[saml] relay_state_prefix`. */
export const DEFAULT_RELAY_STATE_PREFIX = 'ss:mem:';

const idpNotFound = (id: string) =>
  new PlainNotFound(`Could not find Identity Provider: ${id}.`, 'IDENTITY_IDP_NOT_FOUND');
const mappingNotFound = (id: string) =>
  new PlainNotFound(`Could not find mapping: ${id}.`, 'IDENTITY_MAPPING_NOT_FOUND');
const spNotFound = (id: string) =>
  new PlainNotFound(`Could not find Service Provider: ${id}.`, 'IDENTITY_SP_NOT_FOUND');

/**
 * OS-FEDERATION's resources: identity providers (each tied to a domain, created for it when none
 * is named) with their remote ids and protocols, mappings whose rules are validated on write, and
 * service providers, the enabled ones of which are listed in every token.
 */
export class FederationManager {
  constructor(
    private readonly repo: FederationRepository,
    private readonly core: ExtensionCoreAccess,
    private readonly options: { relayStatePrefix: string } = { relayStatePrefix: DEFAULT_RELAY_STATE_PREFIX },
  ) {}

  async createIdp(
    id: string,
    input: {
      enabled?: boolean;
      description?: string | null;
      domainId?: string | null;
      authorizationTtl?: number | null;
      remoteIds?: string[] | null;
    },
  ): Promise<IdentityProviderRecord> {
    if (await this.repo.getIdp(id))
      throw new StoreConflict('identity_provider', `Duplicate entry found with ID ${id}`);
    const remoteIds = input.remoteIds ?? [];
    await this.assertRemoteIdsFree(remoteIds, id);
    let domainId = input.domainId ?? undefined;
    if (domainId) {
      const d = await this.core.getProject(domainId);
      if (!d?.isDomain)
        throw new PlainNotFound(`Could not find domain: ${domainId}.`, 'IDENTITY_DOMAIN_NOT_FOUND');
    } else {
      const name = crypto.randomUUID().replaceAll('-', '');
      domainId = (
        await this.core.createDomain({
          name,
          description: `Auto generated federated domain for Identity Provider: ${id}`,
          enabled: true,
        })
      ).id;
    }
    const rec: IdentityProviderRecord = {
      id,
      enabled: input.enabled ?? false,
      description: input.description ?? null,
      domainId,
      authorizationTtl: input.authorizationTtl ?? null,
      remoteIds,
    };
    try {
      await this.repo.createIdp(rec);
    } catch (err) {
      if (err instanceof DuplicateEntryError) throw new StoreConflict('identity_provider', 'Duplicate entry');
      throw err;
    }
    return rec;
  }

  private async assertRemoteIdsFree(remoteIds: readonly string[], ownIdp: string): Promise<void> {
    if (new Set(remoteIds).size !== remoteIds.length)
      throw new StoreConflict('identity_provider', 'Duplicate remote ID');
    for (const idp of await this.repo.listIdps()) {
      if (idp.id === ownIdp) continue;
      const clash = remoteIds.find((r) => idp.remoteIds.includes(r));
      if (clash) throw new StoreConflict('identity_provider', `Duplicate remote ID: ${clash}`);
    }
  }

  async getIdp(id: string): Promise<IdentityProviderRecord> {
    const idp = await this.repo.getIdp(id);
    if (!idp) throw idpNotFound(id);
    return idp;
  }

  listIdps(f: { enabled?: boolean; id?: string } = {}): Promise<IdentityProviderRecord[]> {
    return this.repo.listIdps(f);
  }

  async updateIdp(
    id: string,
    c: {
      enabled?: boolean;
      description?: string | null;
      authorizationTtl?: number | null;
      remoteIds?: string[] | null;
    },
  ): Promise<IdentityProviderRecord> {
    await this.getIdp(id);
    const remoteIds = c.remoteIds === null ? [] : c.remoteIds;
    if (remoteIds) await this.assertRemoteIdsFree(remoteIds, id);
    await this.repo.updateIdp(id, {
      enabled: c.enabled,
      description: c.description,
      authorizationTtl: c.authorizationTtl,
      remoteIds,
    });
    return this.getIdp(id);
  }

  async deleteIdp(id: string): Promise<void> {
    if (!(await this.repo.deleteIdp(id))) throw idpNotFound(id);
  }

  /** Deletes the identity providers of a deleted domain. */
  async deleteIdpsOfDomain(domainId: string): Promise<void> {
    for (const idp of await this.repo.listIdps({ domainId })) await this.repo.deleteIdp(idp.id);
  }

  private async assertMapping(mappingId: string): Promise<void> {
    if (!(await this.repo.getMapping(mappingId)))
      throw new BadRequestError(`Invalid mapping id: ${mappingId}`, { code: 'IDENTITY_VALIDATION' });
  }

  async createProtocol(
    idpId: string,
    id: string,
    input: { mappingId: string; remoteIdAttribute?: string | null },
  ): Promise<ProtocolRecord> {
    await this.getIdp(idpId);
    await this.assertMapping(input.mappingId);
    if (await this.repo.getProtocol(idpId, id))
      throw new StoreConflict('federation_protocol', `Duplicate entry found with ID ${id}`);
    const p: ProtocolRecord = {
      id,
      idpId,
      mappingId: input.mappingId,
      remoteIdAttribute: input.remoteIdAttribute ?? null,
    };
    await this.repo.createProtocol(p);
    return p;
  }

  async getProtocol(idpId: string, id: string): Promise<ProtocolRecord> {
    await this.getIdp(idpId);
    const p = await this.repo.getProtocol(idpId, id);
    if (!p)
      throw new PlainNotFound(
        `Could not find federated protocol ${id} for Identity Provider: ${idpId}.`,
        'IDENTITY_PROTOCOL_NOT_FOUND',
      );
    return p;
  }

  async listProtocols(idpId: string): Promise<ProtocolRecord[]> {
    await this.getIdp(idpId);
    return this.repo.listProtocols(idpId);
  }

  async updateProtocol(
    idpId: string,
    id: string,
    c: { mappingId?: string; remoteIdAttribute?: string | null },
  ): Promise<ProtocolRecord> {
    const current = await this.getProtocol(idpId, id);
    if (c.mappingId !== undefined) await this.assertMapping(c.mappingId);
    const next = {
      ...current,
      mappingId: c.mappingId ?? current.mappingId,
      remoteIdAttribute: c.remoteIdAttribute !== undefined ? c.remoteIdAttribute : current.remoteIdAttribute,
    };
    await this.repo.updateProtocol(next);
    return next;
  }

  async deleteProtocol(idpId: string, id: string): Promise<void> {
    await this.getProtocol(idpId, id);
    await this.repo.deleteProtocol(idpId, id);
  }

  async createMapping(id: string, doc: unknown): Promise<MappingRecord> {
    validateMappingRules(doc);
    if (await this.repo.getMapping(id))
      throw new StoreConflict('mapping', `Duplicate entry found with ID ${id}`);
    const m: MappingRecord = { id, rules: (doc as { rules: unknown[] }).rules, schemaVersion: '1.0' };
    await this.repo.createMapping(m);
    return m;
  }

  async getMapping(id: string): Promise<MappingRecord> {
    const m = await this.repo.getMapping(id);
    if (!m) throw mappingNotFound(id);
    return m;
  }

  listMappings(): Promise<MappingRecord[]> {
    return this.repo.listMappings();
  }

  async updateMapping(id: string, doc: unknown): Promise<MappingRecord> {
    await this.getMapping(id);
    validateMappingRules(doc);
    const m: MappingRecord = { id, rules: (doc as { rules: unknown[] }).rules, schemaVersion: '1.0' };
    await this.repo.updateMapping(m);
    return m;
  }

  async deleteMapping(id: string): Promise<void> {
    if (!(await this.repo.deleteMapping(id))) throw mappingNotFound(id);
  }

  async createSp(
    id: string,
    input: {
      authUrl: string;
      spUrl: string;
      description?: string | null;
      enabled?: boolean;
      relayStatePrefix?: string | null;
    },
  ): Promise<ServiceProviderRecord> {
    if (!input.authUrl) throw new ExpectingAttribute('auth_url', 'service_provider');
    if (await this.repo.getSp(id))
      throw new StoreConflict('service_provider', `Duplicate entry found with ID ${id}`);
    const sp: ServiceProviderRecord = {
      id,
      enabled: input.enabled ?? false,
      description: input.description ?? null,
      authUrl: input.authUrl,
      spUrl: input.spUrl,
      relayStatePrefix: input.relayStatePrefix ?? this.options.relayStatePrefix,
    };
    await this.repo.createSp(sp);
    return sp;
  }

  async getSp(id: string): Promise<ServiceProviderRecord> {
    const sp = await this.repo.getSp(id);
    if (!sp) throw spNotFound(id);
    return sp;
  }

  listSps(f: { enabled?: boolean; id?: string } = {}): Promise<ServiceProviderRecord[]> {
    return this.repo.listSps(f);
  }

  async updateSp(
    id: string,
    c: {
      authUrl?: string;
      spUrl?: string;
      description?: string | null;
      enabled?: boolean;
      relayStatePrefix?: string | null;
    },
  ): Promise<ServiceProviderRecord> {
    const cur = await this.getSp(id);
    const next: ServiceProviderRecord = {
      ...cur,
      authUrl: c.authUrl ?? cur.authUrl,
      spUrl: c.spUrl ?? cur.spUrl,
      description: c.description !== undefined ? c.description : cur.description,
      enabled: c.enabled ?? cur.enabled,
      relayStatePrefix:
        c.relayStatePrefix ??
        (c.relayStatePrefix === null ? this.options.relayStatePrefix : cur.relayStatePrefix),
    };
    await this.repo.updateSp(next);
    return next;
  }

  async deleteSp(id: string): Promise<void> {
    if (!(await this.repo.deleteSp(id))) throw spNotFound(id);
  }

  /** The `service_providers` list of a token body: enabled providers only; empty when none. */
  async serviceProvidersForToken(): Promise<{ id: string; auth_url: string; sp_url: string }[]> {
    return (await this.repo.listSps({ enabled: true })).map((s) => ({
      id: s.id,
      auth_url: s.authUrl,
      sp_url: s.spUrl,
    }));
  }
}
