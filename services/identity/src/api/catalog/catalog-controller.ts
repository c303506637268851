import { route, type Route } from '@nimbus/http';
import type { CatalogManager } from '../../manager/catalog/catalog-manager';
import { collection, type IdentityRequest, queryValue, splitExtra } from '../keystone-api';
import {
  createEndpointBody,
  createRegionBody,
  createServiceBody,
  updateEndpointBody,
  updateRegionBody,
  updateServiceBody,
} from './catalog-schemas';
import { endpointView, regionView, serviceView } from './catalog-view';

/** What the catalog controllers read of `req.services`. */
export interface CatalogServices {
  catalog: CatalogManager;
}

type Req<B = any> = IdentityRequest<B, CatalogServices>;
const some = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

async function listRegions(req: Req) {
  req.authorize('identity:list_regions', {});
  const parent = queryValue(req, 'parent_region_id');
  const regions = await req.services.catalog.listRegions(
    parent !== undefined ? { parentRegionId: parent } : {},
  );
  return collection(
    req,
    'regions',
    regions.map((r) => regionView(req, r)),
  );
}

async function getRegion(req: Req) {
  req.authorize('identity:get_region', {});
  return { region: regionView(req, await req.services.catalog.getRegion(req.params.region_id!)) };
}

async function createRegion(req: Req<{ region: Record<string, any> }>) {
  req.authorize('identity:create_region', {});
  const b = req.body.region;
  const id = req.params.region_id ?? b.id;
  const r = await req.services.catalog.createRegion({
    ...(id ? { id } : {}),
    description: b.description ?? '',
    parentRegionId: b.parent_region_id ?? null,
    extra: splitExtra(b, ['id', 'description', 'parent_region_id', 'links']),
  });
  return { region: regionView(req, r) };
}

async function updateRegion(req: Req<{ region: Record<string, any> }>) {
  req.authorize('identity:update_region', {});
  const b = req.body.region;
  const r = await req.services.catalog.updateRegion(
    req.params.region_id!,
    some({
      description: b.description,
      parentRegionId: b.parent_region_id,
      extra: splitExtra(b, ['id', 'description', 'parent_region_id', 'links']),
    }),
  );
  return { region: regionView(req, r) };
}

async function deleteRegion(req: Req) {
  req.authorize('identity:delete_region', {});
  await req.services.catalog.deleteRegion(req.params.region_id!);
}

async function listServices(req: Req) {
  req.authorize('identity:list_services', {});
  const services = await req.services.catalog.listServices(
    some({ type: queryValue(req, 'type'), name: queryValue(req, 'name') }),
  );
  return collection(
    req,
    'services',
    services.map((s) => serviceView(req, s)),
  );
}

async function getService(req: Req) {
  req.authorize('identity:get_service', {});
  return { service: serviceView(req, await req.services.catalog.getService(req.params.service_id!)) };
}

async function createService(req: Req<{ service: Record<string, any> }>) {
  req.authorize('identity:create_service', {});
  const b = req.body.service;
  const s = await req.services.catalog.createService({
    type: b.type,
    name: b.name ?? '',
    description: b.description ?? null,
    enabled: b.enabled ?? true,
    extra: splitExtra(b, ['id', 'type', 'name', 'description', 'enabled', 'links']),
  });
  return { service: serviceView(req, s) };
}

async function updateService(req: Req<{ service: Record<string, any> }>) {
  req.authorize('identity:update_service', {});
  const b = req.body.service;
  const s = await req.services.catalog.updateService(
    req.params.service_id!,
    some({
      type: b.type,
      name: b.name,
      description: b.description,
      enabled: b.enabled,
      extra: splitExtra(b, ['id', 'type', 'name', 'description', 'enabled', 'links']),
    }),
  );
  return { service: serviceView(req, s) };
}

async function deleteService(req: Req) {
  req.authorize('identity:delete_service', {});
  await req.services.catalog.deleteService(req.params.service_id!);
}

const ENDPOINT_FIELDS = ['id', 'interface', 'region_id', 'region', 'service_id', 'url', 'enabled', 'links'];

async function listEndpoints(req: Req) {
  req.authorize('identity:list_endpoints', {});
  const endpoints = await req.services.catalog.listEndpoints(
    some({
      serviceId: queryValue(req, 'service_id'),
      interface: queryValue(req, 'interface'),
      regionId: queryValue(req, 'region_id'),
    }),
  );
  return collection(
    req,
    'endpoints',
    endpoints.map((e) => endpointView(req, e)),
  );
}

async function getEndpoint(req: Req) {
  // Keystone looks the endpoint up before its policy check: an unknown id is 404 for everyone.
  await req.services.catalog.getEndpoint(req.params.endpoint_id!);
  req.authorize('identity:get_endpoint', {});
  return { endpoint: endpointView(req, await req.services.catalog.getEndpoint(req.params.endpoint_id!)) };
}

async function createEndpoint(req: Req<{ endpoint: Record<string, any> }>) {
  req.authorize('identity:create_endpoint', {});
  const b = req.body.endpoint;
  const regionId: string | null = b.region_id ?? b.region ?? null;
  // The legacy `region` field creates its region when missing, as upstream keeps v2-style clients working.
  if (b.region_id == null && b.region) await req.services.catalog.ensureRegion(b.region);
  const e = await req.services.catalog.createEndpoint({
    serviceId: b.service_id,
    interface: b.interface,
    url: b.url,
    regionId,
    enabled: b.enabled ?? true,
    extra: splitExtra(b, ENDPOINT_FIELDS),
  });
  return { endpoint: endpointView(req, e) };
}

async function updateEndpoint(req: Req<{ endpoint: Record<string, any> }>) {
  // Keystone looks the endpoint up before its policy check: an unknown id is 404 for everyone.
  await req.services.catalog.getEndpoint(req.params.endpoint_id!);
  req.authorize('identity:update_endpoint', {});
  const b = req.body.endpoint;
  const regionId = b.region_id !== undefined ? b.region_id : b.region;
  if (b.region_id == null && b.region) await req.services.catalog.ensureRegion(b.region);
  const e = await req.services.catalog.updateEndpoint(
    req.params.endpoint_id!,
    some({
      serviceId: b.service_id,
      interface: b.interface,
      url: b.url,
      regionId,
      enabled: b.enabled,
      extra: splitExtra(b, ENDPOINT_FIELDS),
    }),
  );
  return { endpoint: endpointView(req, e) };
}

async function deleteEndpoint(req: Req) {
  // Keystone looks the endpoint up before its policy check: an unknown id is 404 for everyone.
  await req.services.catalog.getEndpoint(req.params.endpoint_id!);
  req.authorize('identity:delete_endpoint', {});
  await req.services.catalog.deleteEndpoint(req.params.endpoint_id!);
}

/** `/v3/regions`, `/v3/services`, `/v3/endpoints`. */
export const catalogRoutes: Route[] = [
  route('GET', '/v3/regions', listRegions),
  route('POST', '/v3/regions', createRegion, { body: createRegionBody, status: 201 }),
  route('GET', '/v3/regions/:region_id', getRegion),
  route('PUT', '/v3/regions/:region_id', createRegion, { body: createRegionBody, status: 201 }),
  route('PATCH', '/v3/regions/:region_id', updateRegion, { body: updateRegionBody }),
  route('DELETE', '/v3/regions/:region_id', deleteRegion),
  route('GET', '/v3/services', listServices),
  route('POST', '/v3/services', createService, { body: createServiceBody, status: 201 }),
  route('GET', '/v3/services/:service_id', getService),
  route('PATCH', '/v3/services/:service_id', updateService, { body: updateServiceBody }),
  route('DELETE', '/v3/services/:service_id', deleteService),
  route('GET', '/v3/endpoints', listEndpoints),
  route('POST', '/v3/endpoints', createEndpoint, { body: createEndpointBody, status: 201 }),
  route('GET', '/v3/endpoints/:endpoint_id', getEndpoint),
  route('PATCH', '/v3/endpoints/:endpoint_id', updateEndpoint, { body: updateEndpointBody }),
  route('DELETE', '/v3/endpoints/:endpoint_id', deleteEndpoint),
];
