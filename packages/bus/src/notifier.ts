import { randomUUID } from 'node:crypto';
import { InternalError } from '@nimbus/errors';
import { type BusInternals, checkName } from './bus-internals';
import { encodeOsloNotification } from './oslo-notification';
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
 * How notifications leave a notifier, as oslo's `[oslo_messaging_notifications] driver`:
 * - `messagingv2`: on the bus, in oslo's 2.0 envelope (what OpenStack services send);
 * - `messaging`: on the bus, bare (oslo's format 1.0, for old consumers);
 * - `log`: written to the bus's logger at info level, not sent;
 * - `noop`: dropped.
 */
export type NotificationDriver = 'messagingv2' | 'messaging' | 'log' | 'noop';

/** Every notification driver. */
export const NOTIFICATION_DRIVERS: readonly NotificationDriver[] = [
  'messagingv2',
  'messaging',
  'log',
  'noop',
];

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

/** Options of a notifier. */
export interface NotifierOptions {
  /** Topics each notification is sent to (oslo's `[oslo_messaging_notifications] topics`). Default `['notifications']`. */
  topics?: string[];
  /**
   * Drivers each notification goes through (oslo's `[oslo_messaging_notifications] driver`,
   * several allowed). Default `['messagingv2']`. An empty list, or `noop`, sends nothing.
   */
  drivers?: NotificationDriver[];
  /**
   * The topic exchange notifications are published on: the service's control exchange
   * (`keystone`, `glance`, `nova`: oslo's `[DEFAULT] control_exchange`). Default: the bus's
   * exchange.
   */
  exchange?: string;
}

/** Sends one notification; resolves when the transport owns it (broker-confirmed and persistent over AMQP). */
export type NotifyMethod = (ctx: RpcContext, eventType: string, payload: unknown) => Promise<void>;

/** Publishes notifications as one publisher. */
export interface Notifier {
  readonly publisherId: string;
  readonly topics: readonly string[];
  readonly drivers: readonly NotificationDriver[];
  /** The control exchange it publishes on (over AMQP; the in-process bus routes the same way). */
  readonly exchange: string | undefined;
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
 * The durable queue of one topic and priority, as oslo's rabbit driver lays it out: named
 * `<topic>.<priority>` (`notifications.info`), bound with that routing key on the control
 * exchange(s) (`exchanges` undefined: the bus's own). The notifier declares it before sending,
 * as oslo does, so notifications sent before any listener started are kept for the default pool.
 */
export function notificationQueue(
  topic: string,
  priority: NotificationPriority,
  exchanges: readonly string[] | undefined,
  maxLength: number,
): SharedQueueSpec {
  const key = `${topic}.${priority}`;
  return { kind: 'shared', name: key, routingKeys: [key], exchanges, exactName: true, maxLength };
}

/**
 * The one queue of a listener pool, as oslo names it: the pool's name, bound with every
 * `<topic>.<priority>` routing key it listens to, on each exchange.
 */
export function poolQueue(
  pool: string,
  routingKeys: readonly string[],
  exchanges: readonly string[] | undefined,
  maxLength: number,
): SharedQueueSpec {
  return { kind: 'shared', name: pool, routingKeys, exchanges, exactName: true, maxLength };
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
  const drivers = Object.freeze([...new Set<NotificationDriver>(options.drivers ?? ['messagingv2'])]);
  for (const d of drivers) {
    if (!NOTIFICATION_DRIVERS.includes(d)) {
      throw new InternalError(
        `Unknown notification driver ${JSON.stringify(d)}: one of ${NOTIFICATION_DRIVERS.join(', ')}`,
        {
          code: 'BUS_INVALID_OPTION',
        },
      );
    }
  }
  const exchange = options.exchange === undefined ? undefined : checkName('exchange', options.exchange);
  const exchanges = exchange === undefined ? undefined : [exchange];

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
      timestamp: pythonUtcNow(),
    };
    const { transport, notificationQueueMaxLength, logger } = internals;
    const sends: Promise<void>[] = [];
    for (const driver of drivers) {
      if (driver === 'noop') continue;
      if (driver === 'log') {
        logger.info({ notification: message, context: ctx }, `notification ${eventType}`);
        continue;
      }
      const body = encodeOsloNotification(message, ctx, driver === 'messaging' ? '1.0' : '2.0');
      for (const topic of topics) {
        const queue = notificationQueue(topic, priority, exchanges, notificationQueueMaxLength);
        sends.push(
          transport
            .declare(queue)
            .then(() =>
              transport.publish(
                { kind: 'topic', routingKey: queue.routingKeys[0]!, exchange },
                { body, persistent: true },
              ),
            ),
        );
      }
    }
    await Promise.all(sends);
  }

  const at =
    (priority: NotificationPriority): NotifyMethod =>
    (ctx, eventType, payload) =>
      notify(priority, ctx, eventType, payload);
  return {
    publisherId,
    topics,
    drivers,
    exchange,
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

/**
 * `2024-05-01 10:11:12.123000`: what oslo's notifier writes (`str(utcnow())`), from a Date
 * (millisecond precision). Always six fraction digits (Python drops them when all are zero).
 */
export function pythonUtcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 23).replace('T', ' ')}000`;
}

/** Now, as `pythonUtcTimestamp` writes it, to the microsecond. */
export function pythonUtcNow(): string {
  // Wall-clock milliseconds (the monotonic clock drifts from it over days); the sub-millisecond
  // digits come from the monotonic clock, which is all it is good for here.
  const now = Date.now();
  const micros = (now % 1000) * 1000 + Math.floor((performance.now() % 1) * 1000);
  return `${new Date(now).toISOString().slice(0, 19).replace('T', ' ')}.${String(micros).padStart(6, '0')}`;
}
