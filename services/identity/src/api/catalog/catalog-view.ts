import type { RegionRecord, StoredEndpoint, StoredService } from '../../db/repositories/catalog-repository';
import { type IdentityRequest, v3Url } from '../keystone-api';

export function regionView(req: IdentityRequest, r: RegionRecord): Record<string, unknown> {
  return {
    ...r.extra,
    id: r.id,
    description: r.description,
    parent_region_id: r.parentRegionId,
    links: { self: v3Url(req, `/regions/${r.id}`) },
  };
}

export function serviceView(req: IdentityRequest, s: StoredService): Record<string, unknown> {
  return {
    ...s.extra,
    id: s.id,
    type: s.type,
    name: s.name,
    ...(s.description !== null ? { description: s.description } : {}),
    enabled: s.enabled,
    links: { self: v3Url(req, `/services/${s.id}`) },
  };
}

export function endpointView(req: IdentityRequest, e: StoredEndpoint): Record<string, unknown> {
  return {
    ...e.extra,
    id: e.id,
    interface: e.interface,
    region_id: e.regionId,
    region: e.regionId,
    service_id: e.serviceId,
    url: e.url,
    enabled: e.enabled,
    links: { self: v3Url(req, `/endpoints/${e.id}`) },
  };
}
