import { createHash, randomUUID } from 'node:crypto';

/** Who made a request, as Keystone's audit initiator reads it from the request and its token. */
export interface AuditInitiator {
  userId?: string;
  projectId?: string;
  domainId?: string;
  requestId?: string;
  globalRequestId?: string;
  /** The client's address (`REMOTE_ADDR`). */
  address?: string;
  /** The `User-Agent` header. */
  agent?: string;
}

/** A CADF resource (initiator, target, observer), as pyCADF renders it. */
export type CadfResource = { typeURI: string; id: string } & Record<string, unknown>;

/** The outcome of an audited action (pyCADF's taxonomy). */
export type CadfOutcome = 'success' | 'failure' | 'pending';

/** pyCADF's taxonomy terms Keystone uses. */
export const CADF = {
  eventTypeUri: 'http://schemas.dmtf.org/cloud/audit/1.0/event',
  accountUser: 'service/security/account/user',
  serviceSecurity: 'service/security',
  unknown: 'unknown',
} as const;

/** The CADF type of each resource type Keystone notifies about (others are `unknown`). */
export const CADF_TARGET_TYPES: Readonly<Record<string, string>> = {
  group: 'data/security/group',
  project: 'data/security/project',
  role: 'data/security/role',
  user: 'data/security/account/user',
  domain: 'data/security/domain',
  region: 'data/security/region',
  endpoint: 'data/security/endpoint',
  service: 'data/security/service',
  policy: 'data/security/policy',
  'OS-TRUST:trust': 'data/security/trust',
  'OS-OAUTH1:access_token': 'data/security/credential',
  'OS-OAUTH1:request_token': 'data/security/credential',
  'OS-OAUTH1:consumer': 'data/security/account',
  application_credential: 'data/security/credential',
};

/** A CADF id for a resource without one (pyCADF's `openstack:<uuid>`). */
export function cadfId(): string {
  return `openstack:${randomUUID()}`;
}

// Keystone's RESOURCE_ID_NAMESPACE (keystone.common.utils), which ids that are not UUIDs are hashed in.
const RESOURCE_ID_NAMESPACE = Buffer.from('4332ecab770b4288a680b9aca3b1b153', 'hex');

/**
 * A user id as a CADF initiator id, as Keystone's `resource_uuid`: a UUID stays as is, anything
 * else becomes the hex of its version-5 UUID in Keystone's namespace.
 */
export function resourceUuid(value: string): string {
  const hex = value.replaceAll('-', '');
  if (/^(urn:uuid:)?\{?[0-9a-f]{32}\}?$/i.test(hex)) return value;
  const hash = createHash('sha1').update(RESOURCE_ID_NAMESPACE).update(value, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  return hash.subarray(0, 16).toString('hex');
}

/** `2024-05-01T10:11:12.123000+0000`: pyCADF's event time. */
export function cadfTime(date = new Date()): string {
  return `${date.toISOString().slice(0, 23)}000+0000`;
}

/** The initiator resource of an event, user name added when known. */
export function cadfInitiator(initiator: AuditInitiator | undefined, userName?: string): CadfResource {
  const host: Record<string, string> = {};
  if (initiator?.address !== undefined) host.address = initiator.address;
  if (initiator?.agent !== undefined) host.agent = initiator.agent;
  const out: CadfResource = {
    typeURI: CADF.accountUser,
    id: initiator?.userId ? resourceUuid(initiator.userId) : cadfId(),
  };
  if (initiator === undefined) return out;
  out.host = host;
  if (initiator.userId) out.user_id = initiator.userId;
  if (userName !== undefined) out.username = userName;
  if (initiator.projectId) out.project_id = initiator.projectId;
  if (initiator.domainId) out.domain_id = initiator.domainId;
  if (initiator.requestId) out.request_id = initiator.requestId;
  if (initiator.globalRequestId) out.global_request_id = initiator.globalRequestId;
  return out;
}

/** What one CADF activity event says. */
export interface CadfEventInput {
  action: string;
  outcome: CadfOutcome;
  initiator: CadfResource;
  target: CadfResource;
  /** The identity service's id in the catalog, when it has one. */
  observerId?: string;
  /** Why it failed: pyCADF's `{reasonType, reasonCode}`. */
  reason?: { reasonType: string; reasonCode: string };
  /** Further top-level keys (`resource_info`, `role`, `project`...). */
  extra?: Record<string, unknown>;
}

/** A CADF `activity` event, as pyCADF's `Event.as_dict()` renders it. */
export function cadfEvent(input: CadfEventInput): Record<string, unknown> {
  return {
    typeURI: CADF.eventTypeUri,
    id: cadfId(),
    eventTime: cadfTime(),
    eventType: 'activity',
    action: input.action,
    outcome: input.outcome,
    initiator: input.initiator,
    target: input.target,
    observer: { typeURI: CADF.serviceSecurity, id: input.observerId ?? cadfId() },
    ...(input.reason ? { reason: input.reason } : {}),
    ...input.extra,
  };
}
