import type { Notification } from './notifier';
import type { RpcContext } from './rpc-context';

/**
 * oslo.messaging's notification wire format, so OpenStack consumers (Ceilometer, Searchlight,
 * any `oslo_messaging.get_notification_listener`) read what Nimbus publishes:
 * - the message is a JSON object with `message_id`, `publisher_id`, `event_type`, `priority`
 *   (upper case), `payload`, `timestamp`, plus the sender's context flattened into
 *   `_context_<key>` entries and a `_unique_id` (oslo's amqp `pack_context` and `_add_unique_id`);
 * - `messagingv2` wraps it as `{"oslo.version": "2.0", "oslo.message": "<that object as JSON>"}`
 *   (oslo's `serialize_msg`); `messaging` (format 1.0) sends the object bare.
 */
export type OsloMessageFormat = '1.0' | '2.0';

/** The envelope keys and version of oslo's message format 2.0. */
export const OSLO_VERSION_KEY = 'oslo.version';
export const OSLO_MESSAGE_KEY = 'oslo.message';
const ENVELOPE_VERSION = '2.0';

/**
 * Our context fields and the oslo.context keys they travel as. Only keys oslo's notifier keeps
 * (`_sanitize_context`): the token never goes into a notification.
 */
const CONTEXT_KEYS: readonly (readonly [keyof RpcContext & string, string])[] = [
  ['userId', 'user_id'],
  ['projectId', 'project_id'],
  ['domainId', 'domain_id'],
  ['userDomainId', 'user_domain_id'],
  ['projectDomainId', 'project_domain_id'],
  ['isAdmin', 'is_admin'],
  ['requestId', 'request_id'],
  ['roles', 'roles'],
  ['userName', 'user_name'],
  ['projectName', 'project_name'],
  ['globalRequestId', 'global_request_id'],
  ['systemScope', 'system_scope'],
];

/** The context as oslo.context's dictionary (safe keys only, as oslo's notifier sends it). */
export function toOsloContext(ctx: RpcContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [ours, theirs] of CONTEXT_KEYS) {
    if (ctx[ours] !== undefined) out[theirs] = ctx[ours];
  }
  return out;
}

/** Our context from oslo.context's dictionary (unknown keys are dropped). */
export function fromOsloContext(dict: Record<string, unknown>): RpcContext {
  const out: RpcContext = {};
  for (const [ours, theirs] of CONTEXT_KEYS) {
    if (dict[theirs] !== undefined && dict[theirs] !== null) out[ours] = dict[theirs];
  }
  // oslo.context's older names, still sent by some services.
  if (out.userId === undefined && typeof dict['user'] === 'string') out.userId = dict['user'];
  if (out.projectId === undefined && typeof dict['project'] === 'string') out.projectId = dict['project'];
  if (out.projectId === undefined && typeof dict['tenant'] === 'string') out.projectId = dict['tenant'];
  return out;
}

/** The AMQP body of one notification, in the given oslo format. */
export function encodeOsloNotification(
  message: Notification,
  ctx: RpcContext,
  format: OsloMessageFormat,
): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...message };
  for (const [key, value] of Object.entries(toOsloContext(ctx))) raw[`_context_${key}`] = value;
  raw['_unique_id'] = message.message_id.replaceAll('-', '');
  if (format === '1.0') return raw;
  return { [OSLO_VERSION_KEY]: ENVELOPE_VERSION, [OSLO_MESSAGE_KEY]: JSON.stringify(raw) };
}

/**
 * Reads a notification in either oslo format. Returns undefined for anything that is not one
 * (garbage, an unknown envelope version, a message without `event_type`): callers log and drop it.
 */
export function decodeOsloNotification(
  body: unknown,
): { context: RpcContext; notification: Notification } | undefined {
  if (!isObject(body)) return undefined;
  let raw: Record<string, unknown> = body;
  if (OSLO_MESSAGE_KEY in body) {
    if (body[OSLO_VERSION_KEY] !== ENVELOPE_VERSION || typeof body[OSLO_MESSAGE_KEY] !== 'string')
      return undefined;
    let inner: unknown;
    try {
      inner = JSON.parse(body[OSLO_MESSAGE_KEY]);
    } catch {
      return undefined;
    }
    if (!isObject(inner)) return undefined;
    raw = inner;
  }
  if (typeof raw['event_type'] !== 'string') return undefined;
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('_context_')) context[key.slice('_context_'.length)] = value;
  }
  const notification: Notification = {
    message_id: String(raw['message_id'] ?? ''),
    publisher_id: String(raw['publisher_id'] ?? ''),
    event_type: raw['event_type'],
    priority: String(raw['priority'] ?? '').toUpperCase() as Notification['priority'],
    payload: raw['payload'],
    timestamp: String(raw['timestamp'] ?? ''),
  };
  return { context: fromOsloContext(context), notification };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
