import type { CatalogEntry } from '@nimbus/auth';

/** A registered service (catalog table). */
export interface ServiceRecord {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
}

/** A registered endpoint (catalog table). */
export interface EndpointRecord {
  id: string;
  serviceId: string;
  interface: 'public' | 'internal' | 'admin';
  regionId: string | null;
  url: string;
  enabled: boolean;
}

/** What endpoint URL templates may name. */
export interface CatalogScope {
  projectId?: string;
  userId?: string;
}

const TEMPLATE = /\$\((\w+)\)s|%\((\w+)\)s/g;

/**
 * Fills an endpoint URL template (`http://host:8080/v1/AUTH_$(project_id)s`, also `%(...)s` and
 * the old `tenant_id`). Returns undefined when the template names something the scope lacks:
 * Keystone leaves such endpoints out of the token's catalog.
 */
export function fillEndpointUrl(url: string, scope: CatalogScope): string | undefined {
  let missing = false;
  const out = url.replace(TEMPLATE, (_m, a: string | undefined, b: string | undefined) => {
    const key = a ?? b ?? '';
    const value =
      key === 'project_id' || key === 'tenant_id'
        ? scope.projectId
        : key === 'user_id'
          ? scope.userId
          : undefined;
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : out;
}

/**
 * The catalog as a token carries it: enabled services with their enabled endpoints, templates
 * filled for the scope, services without endpoints left out, as Keystone renders it.
 */
export function buildCatalog(
  services: readonly ServiceRecord[],
  endpoints: readonly EndpointRecord[],
  scope: CatalogScope,
): CatalogEntry[] {
  const catalog: CatalogEntry[] = [];
  for (const s of services) {
    if (!s.enabled) continue;
    const eps = [];
    for (const e of endpoints) {
      if (e.serviceId !== s.id || !e.enabled) continue;
      const url = fillEndpointUrl(e.url, scope);
      if (url === undefined) continue;
      eps.push({ id: e.id, interface: e.interface, region: e.regionId, region_id: e.regionId, url });
    }
    if (eps.length) catalog.push({ id: s.id, type: s.type, name: s.name, endpoints: eps });
  }
  return catalog;
}
