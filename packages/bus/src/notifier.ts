import { randomUUID } from 'node:crypto';
import { type BusInternals, checkName } from './bus-internals';
import type { RpcContext } from './rpc-context';
import type { SharedQueueSpec } from './transport';

/** oslo.messaging's notification priorities; the lowercase name ends the routing key (`notifications.info`). */
export type NotificationPriority = 'audit' | 'debug' | 'info' | 'warn' | 'error' | 'critical' | 'sample';

/** Every priority, in oslo's order. */
export const NOTIFICATION_PRIORITIES: readonly NotificationPriority[] = [
  'audit',
  'debug',
  'info',
  'warn',
  'error',
  'critical',
  'sample',
];

/** The topic notifications go to unless configured otherwise (oslo's default). */
export const DEFAULT_NOTIFICATION_TOPIC = 'notifications';

/**
 * One notification, in oslo.messaging's envelope (field names as upstream, so consumers written
 * against OpenStack's notification docs read it unchanged).
 */
export interface Notification {
  /** A fresh UUID. */
  message_id: string;
  /** Who sent it, e.g. `compute.node7`. */
  publisher_id: string;
  /** e.g. `compute.instance.create.end`. */
  event_type: string;
  /** Upper case: `INFO`, `WARN`, `ERROR`... */
  priority: Uppercase<NotificationPriority>;
  payload: unknown;
  /** UTC, as Python prints a datetime: `2024-05-01 10:11:12.123000`. */
  timestamp: string;
}

/** The body of a notification on the wire: the envelope plus the sender's context. */
export interface NotificationBody {
  context: RpcContext;
  message: Notification;
}

/** Options of a notifier. */
export interface NotifierOptions {
  /** Topics each notification is sent to (oslo's `[oslo_messaging_notifications] topics`). Default `['notifications']`. */
  topics?: string[];
}

/** Sends one notification; resolves when the transport owns it (broker-confirmed and persistent over AMQP). */
export type NotifyMethod = (ctx: RpcContext, eventType: string, payload: unknown) => Promise<void>;

/** Publishes notifications as one publisher. */
export interface Notifier {
  readonly publisherId: string;
  readonly topics: readonly string[];
  /** Sends at `priority`. Rejects with ServiceUnavailableError when the bus cannot take it. */
  notify(priority: NotificationPriority, ctx: RpcContext, eventType: string, payload: unknown): Promise<void>;
  audit: NotifyMethod;
  debug: NotifyMethod;
  info: NotifyMethod;
  warn: NotifyMethod;
  error: NotifyMethod;
  critical: NotifyMethod;
  sample: NotifyMethod;
}

/**
 * The durable queue of one topic and priority for one listener pool (the default pool when
 * `pool` is undefined). The notifier declares the default pool's queue before sending, as oslo
 * does, so notifications sent before any listener started are kept for it.
 */
export function notificationQueue(
  topic: string,
  priority: NotificationPriority,
  pool: string | undefined,
  maxLength: number,
): SharedQueueSpec {
  const key = `${topic}.${priority}`;
  return { kind: 'shared', name: pool === undefined ? key : `${key}:${pool}`, routingKeys: [key], maxLength };
}

/** Creates a notifier (see `MessageBus.notifier`). */
export function createNotifier(
  internals: BusInternals,
  publisherId: string,
  options: NotifierOptions = {},
): Notifier {
  checkName('publisher id', publisherId);
  const topics = Object.freeze(
    [...(options.topics ?? [DEFAULT_NOTIFICATION_TOPIC])].map((t) => checkName('topic', t)),
  );

  async function notify(
    priority: NotificationPriority,
    ctx: RpcContext,
    eventType: string,
    payload: unknown,
  ): Promise<void> {
    internals.checkOpen(`notify ${eventType}`);
    const message: Notification = {
      message_id: randomUUID(),
      publisher_id: publisherId,
      event_type: eventType,
      priority: priority.toUpperCase() as Uppercase<NotificationPriority>,
      payload,
      timestamp: pythonUtcTimestamp(new Date()),
    };
    const body: NotificationBody = { context: ctx, message };
    const { transport, notificationQueueMaxLength } = internals;
    await Promise.all(
      topics.map(async (topic) => {
        const queue = notificationQueue(topic, priority, undefined, notificationQueueMaxLength);
        await transport.declare(queue);
        await transport.publish(
          { kind: 'topic', routingKey: queue.routingKeys[0]! },
          { body, persistent: true },
        );
      }),
    );
  }

  const at =
    (priority: NotificationPriority): NotifyMethod =>
    (ctx, eventType, payload) =>
      notify(priority, ctx, eventType, payload);
  return {
    publisherId,
    topics,
    notify,
    audit: at('audit'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    critical: at('critical'),
    sample: at('sample'),
  };
}

/** `2024-05-01 10:11:12.123000`: what oslo's notifier writes (`str(utcnow())`). */
export function pythonUtcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 23).replace('T', ' ')}000`;
}
