import { respond, route } from '@nimbus/http';
import type {
  IdentityProviderRecord,
  MappingRecord,
  ProtocolRecord,
  ServiceProviderRecord,
} from '../../db/ext/federation-repository';
import { collection, type ExtRequest, ext, queryValue, types, v3Url } from './ext-support';

const F = '/v3/OS-FEDERATION';
const remoteIds = { type: ['array', 'null'], items: { type: 'string' }, uniqueItems: true };
const nullableId = { anyOf: [types.idString, { type: 'null' }] };
const ttl = { type: ['integer', 'null'], minimum: 0 };
const idpCreate = {
  type: 'object',
  required: ['identity_provider'],
  properties: {
    identity_provider: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: types.boolean,
        description: types.nullableDescription,
        domain_id: nullableId,
        authorization_ttl: ttl,
        remote_ids: remoteIds,
      },
    },
  },
};
const idpUpdate = {
  type: 'object',
  required: ['identity_provider'],
  properties: {
    identity_provider: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        enabled: types.boolean,
        description: types.nullableDescription,
        authorization_ttl: ttl,
        remote_ids: remoteIds,
      },
    },
  },
};
const protocolProps = {
  mapping_id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-_]+$' },
  remote_id_attribute: { type: 'string', maxLength: 64 },
};
const protocolCreate = {
  type: 'object',
  required: ['protocol'],
  properties: {
    protocol: {
      type: 'object',
      properties: protocolProps,
      required: ['mapping_id'],
      additionalProperties: false,
    },
  },
};
const protocolUpdate = {
  type: 'object',
  required: ['protocol'],
  properties: {
    protocol: { type: 'object', properties: protocolProps, minProperties: 1, additionalProperties: false },
  },
};
const spProps = {
  auth_url: types.url,
  sp_url: types.url,
  description: types.nullableDescription,
  enabled: types.boolean,
  relay_state_prefix: types.nullableDescription,
};
const spCreate = {
  type: 'object',
  required: ['service_provider'],
  properties: {
    service_provider: {
      type: 'object',
      properties: spProps,
      required: ['auth_url', 'sp_url'],
      additionalProperties: false,
    },
  },
};
const spUpdate = {
  type: 'object',
  required: ['service_provider'],
  properties: {
    service_provider: { type: 'object', properties: spProps, minProperties: 1, additionalProperties: false },
  },
};

function idpView(req: ExtRequest, i: IdentityProviderRecord): Record<string, unknown> {
  return {
    id: i.id,
    enabled: i.enabled,
    description: i.description,
    domain_id: i.domainId,
    authorization_ttl: i.authorizationTtl,
    remote_ids: i.remoteIds,
    links: {
      self: v3Url(req, `/OS-FEDERATION/identity_providers/${i.id}`),
      protocols: v3Url(req, `/OS-FEDERATION/identity_providers/${i.id}/protocols`),
    },
  };
}

function protocolView(req: ExtRequest, p: ProtocolRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: p.id,
    mapping_id: p.mappingId,
    links: {
      self: v3Url(req, `/OS-FEDERATION/identity_providers/${p.idpId}/protocols/${p.id}`),
      identity_provider: v3Url(req, `/OS-FEDERATION/identity_providers/${p.idpId}`),
    },
  };
  if (p.remoteIdAttribute !== null) view.remote_id_attribute = p.remoteIdAttribute;
  return view;
}

function mappingView(req: ExtRequest, m: MappingRecord): Record<string, unknown> {
  return { id: m.id, rules: m.rules, links: { self: v3Url(req, `/OS-FEDERATION/mappings/${m.id}`) } };
}

function spView(req: ExtRequest, s: ServiceProviderRecord): Record<string, unknown> {
  return {
    id: s.id,
    enabled: s.enabled,
    description: s.description,
    auth_url: s.authUrl,
    sp_url: s.spUrl,
    relay_state_prefix: s.relayStatePrefix,
    links: { self: v3Url(req, `/OS-FEDERATION/service_providers/${s.id}`) },
  };
}

function enabledFilter(req: ExtRequest): { enabled?: boolean; id?: string } {
  const f: { enabled?: boolean; id?: string } = {};
  const enabled = queryValue(req, 'enabled');
  const id = queryValue(req, 'id');
  if (enabled !== undefined) f.enabled = !['0', 'false', 'False', 'no'].includes(enabled);
  if (id !== undefined) f.id = id;
  return f;
}

const idpRoutes = [
  route('GET', `${F}/identity_providers`, async (req: ExtRequest) => {
    req.authorize('identity:list_identity_providers', {});
    return collection(
      req,
      'identity_providers',
      (await ext(req).federation.listIdps(enabledFilter(req))).map((i) => idpView(req, i)),
    );
  }),
  route('GET', `${F}/identity_providers/:idp_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_identity_provider', {});
    return { identity_provider: idpView(req, await ext(req).federation.getIdp(req.params.idp_id!)) };
  }),
  route(
    'PUT',
    `${F}/identity_providers/:idp_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:create_identity_provider', {});
      const b = req.body.identity_provider as Record<string, any>;
      const i = await ext(req).federation.createIdp(req.params.idp_id!, {
        enabled: b.enabled,
        description: b.description,
        domainId: b.domain_id,
        authorizationTtl: b.authorization_ttl,
        remoteIds: b.remote_ids,
      });
      return respond(201, { identity_provider: idpView(req, i) });
    },
    { body: idpCreate },
  ),
  route(
    'PATCH',
    `${F}/identity_providers/:idp_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:update_identity_provider', {});
      const b = req.body.identity_provider as Record<string, any>;
      const i = await ext(req).federation.updateIdp(req.params.idp_id!, {
        enabled: b.enabled,
        description: b.description,
        authorizationTtl: b.authorization_ttl,
        remoteIds: b.remote_ids,
      });
      return { identity_provider: idpView(req, i) };
    },
    { body: idpUpdate },
  ),
  route('DELETE', `${F}/identity_providers/:idp_id`, async (req: ExtRequest) => {
    req.authorize('identity:delete_identity_provider', {});
    await ext(req).federation.deleteIdp(req.params.idp_id!);
  }),
  route('GET', `${F}/identity_providers/:idp_id/protocols`, async (req: ExtRequest) => {
    req.authorize('identity:list_protocols', {});
    return collection(
      req,
      'protocols',
      (await ext(req).federation.listProtocols(req.params.idp_id!)).map((p) => protocolView(req, p)),
    );
  }),
  route('GET', `${F}/identity_providers/:idp_id/protocols/:protocol_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_protocol', {});
    return {
      protocol: protocolView(
        req,
        await ext(req).federation.getProtocol(req.params.idp_id!, req.params.protocol_id!),
      ),
    };
  }),
  route(
    'PUT',
    `${F}/identity_providers/:idp_id/protocols/:protocol_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:create_protocol', {});
      const b = req.body.protocol as Record<string, any>;
      const p = await ext(req).federation.createProtocol(req.params.idp_id!, req.params.protocol_id!, {
        mappingId: b.mapping_id,
        remoteIdAttribute: b.remote_id_attribute,
      });
      return respond(201, { protocol: protocolView(req, p) });
    },
    { body: protocolCreate },
  ),
  route(
    'PATCH',
    `${F}/identity_providers/:idp_id/protocols/:protocol_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:update_protocol', {});
      const b = req.body.protocol as Record<string, any>;
      const p = await ext(req).federation.updateProtocol(req.params.idp_id!, req.params.protocol_id!, {
        mappingId: b.mapping_id,
        remoteIdAttribute: b.remote_id_attribute,
      });
      return { protocol: protocolView(req, p) };
    },
    { body: protocolUpdate },
  ),
  route('DELETE', `${F}/identity_providers/:idp_id/protocols/:protocol_id`, async (req: ExtRequest) => {
    req.authorize('identity:delete_protocol', {});
    await ext(req).federation.deleteProtocol(req.params.idp_id!, req.params.protocol_id!);
  }),
];

const mappingRoutes = [
  route('GET', `${F}/mappings`, async (req: ExtRequest) => {
    req.authorize('identity:list_mappings', {});
    return collection(
      req,
      'mappings',
      (await ext(req).federation.listMappings()).map((m) => mappingView(req, m)),
    );
  }),
  route('GET', `${F}/mappings/:mapping_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_mapping', {});
    return { mapping: mappingView(req, await ext(req).federation.getMapping(req.params.mapping_id!)) };
  }),
  route('PUT', `${F}/mappings/:mapping_id`, async (req: ExtRequest) => {
    req.authorize('identity:create_mapping', {});
    const m = await ext(req).federation.createMapping(
      req.params.mapping_id!,
      (req.body as Record<string, unknown> | undefined)?.mapping ?? {},
    );
    return respond(201, { mapping: mappingView(req, m) });
  }),
  route('PATCH', `${F}/mappings/:mapping_id`, async (req: ExtRequest) => {
    req.authorize('identity:update_mapping', {});
    const m = await ext(req).federation.updateMapping(
      req.params.mapping_id!,
      (req.body as Record<string, unknown> | undefined)?.mapping ?? {},
    );
    return { mapping: mappingView(req, m) };
  }),
  route('DELETE', `${F}/mappings/:mapping_id`, async (req: ExtRequest) => {
    req.authorize('identity:delete_mapping', {});
    await ext(req).federation.deleteMapping(req.params.mapping_id!);
  }),
];

const spRoutes = [
  route('GET', `${F}/service_providers`, async (req: ExtRequest) => {
    req.authorize('identity:list_service_providers', {});
    return collection(
      req,
      'service_providers',
      (await ext(req).federation.listSps(enabledFilter(req))).map((s) => spView(req, s)),
    );
  }),
  route('GET', `${F}/service_providers/:sp_id`, async (req: ExtRequest) => {
    req.authorize('identity:get_service_provider', {});
    return { service_provider: spView(req, await ext(req).federation.getSp(req.params.sp_id!)) };
  }),
  route(
    'PUT',
    `${F}/service_providers/:sp_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:create_service_provider', {});
      const b = req.body.service_provider as Record<string, any>;
      const s = await ext(req).federation.createSp(req.params.sp_id!, {
        authUrl: b.auth_url,
        spUrl: b.sp_url,
        description: b.description,
        enabled: b.enabled,
        relayStatePrefix: b.relay_state_prefix,
      });
      return respond(201, { service_provider: spView(req, s) });
    },
    { body: spCreate },
  ),
  route(
    'PATCH',
    `${F}/service_providers/:sp_id`,
    async (req: ExtRequest) => {
      req.authorize('identity:update_service_provider', {});
      const b = req.body.service_provider as Record<string, any>;
      const s = await ext(req).federation.updateSp(req.params.sp_id!, {
        authUrl: b.auth_url,
        spUrl: b.sp_url,
        description: b.description,
        enabled: b.enabled,
        relayStatePrefix: b.relay_state_prefix,
      });
      return { service_provider: spView(req, s) };
    },
    { body: spUpdate },
  ),
  route('DELETE', `${F}/service_providers/:sp_id`, async (req: ExtRequest) => {
    req.authorize('identity:delete_service_provider', {});
    await ext(req).federation.deleteSp(req.params.sp_id!);
  }),
];

/** Routes of OS-FEDERATION's identity providers, protocols, mappings and service providers. */
export const federationRoutes = [...idpRoutes, ...mappingRoutes, ...spRoutes];
