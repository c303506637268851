import type { ApiRequest } from './api-request';
import { ApiReply } from './api-request';

/** One API version a service offers, as its version document lists it. */
export interface ApiVersion {
  /** `v3.14`, `v2.1`, `v2.0`... */
  id: string;
  /** CURRENT, SUPPORTED, DEPRECATED or stable, as the service's upstream spells it. */
  status: string;
  /** ISO date of the last change. */
  updated: string;
  /** Path of the version's root, relative to the service (`/v3`). */
  path: string;
  /** `application/vnd.openstack.identity-v3+json` and the like. */
  mediaType?: string;
  /** Microversion range, for services that have one. */
  minVersion?: string;
  version?: string;
}

/** The document of one version, with its `self` link built from the request's host. */
export function versionDocument(req: ApiRequest, v: ApiVersion): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    id: v.id,
    status: v.status,
    updated: v.updated,
    links: [{ rel: 'self', href: `${req.baseUrl}${v.path}/` }],
  };
  if (v.mediaType) doc['media-types'] = [{ base: 'application/json', type: v.mediaType }];
  if (v.minVersion !== undefined) doc.min_version = v.minVersion;
  if (v.version !== undefined) doc.version = v.version;
  return doc;
}

/**
 * The root document listing every version. OpenStack APIs answer it with 300 Multiple Choices
 * (Keystone wraps the list as `{"versions": {"values": [...]}}`, the others as `{"versions": [...]}`).
 */
export function versionsReply(req: ApiRequest, versions: readonly ApiVersion[], style: 'keystone' | 'list' = 'list'): ApiReply {
  const docs = versions.map((v) => versionDocument(req, v));
  return new ApiReply(300, { versions: style === 'keystone' ? { values: docs } : docs });
}
