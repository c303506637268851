import { InternalError } from '@nimbus/errors';
import { type BusInternals, checkName } from './bus-internals';
import {
  DEFAULT_NOTIFICATION_TOPIC,
  NOTIFICATION_PRIORITIES,
  type Notification,
  type NotificationPriority,
  notificationQueue,
  poolQueue,
} from './notifier';
import { decodeOsloNotification } from './oslo-notification';
import type { RpcContext } from './rpc-context';
import type { IncomingMessage } from './transport';

/** What a notification listener consumes. */
export interface NotificationListenerOptions {
  /** Topics to listen on. Default `['notifications']`. */
  topics?: string[];
  /**
   * Control exchanges to listen on (`['keystone', 'glance']`): one queue gets the notifications
   * of all of them, as a Ceilometer-style listener does. Default: the bus's exchange.
   */
  exchanges?: string[];
  /**
   * Listeners of the same pool share the notifications (each goes to one of them); each pool,
   * and the default pool (no name), gets every notification. Pool queues are durable: a pool
   * that restarts finds what was sent meanwhile. As in oslo, a pool's queue is named after the
   * pool and the default pool's queues are `<topic>.<priority>`, shared with oslo listeners.
   */
  pool?: string;
  /**
   * Glob patterns on `event_type` (`*` any run of characters, dots included; `?` one character).
   * Others are acknowledged and dropped, as oslo's NotificationFilter does. Default: all.
   */
  eventTypes?: string[];
  /** Priorities to listen to. Default: all of them. */
  priorities?: NotificationPriority[];
  /** Handlers running at once; default 1, so notifications are handled in the order sent. */
  concurrency?: number;
}

/**
 * Handles one notification. A throw is logged and the notification is not redelivered; a
 * notification whose handler was running when the connection dropped is (at least once).
 */
export type NotificationHandler = (ctx: RpcContext, notification: Notification) => unknown;

/** A running listener. */
export interface NotificationListener {
  readonly pool: string | undefined;
  /** Stops consuming and waits for running handlers. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a listener (see `MessageBus.notificationListener`). */
export async function startNotificationListener(
  internals: BusInternals,
  options: NotificationListenerOptions,
  handler: NotificationHandler,
): Promise<NotificationListener> {
  internals.checkOpen('listen for notifications');
  const topics = (options.topics ?? [DEFAULT_NOTIFICATION_TOPIC]).map((t) => checkName('topic', t));
  const pool = options.pool === undefined ? undefined : checkName('pool', options.pool);
  const priorities = options.priorities ?? NOTIFICATION_PRIORITIES;
  for (const p of priorities) {
    if (!NOTIFICATION_PRIORITIES.includes(p)) {
      throw new InternalError(`Unknown notification priority ${p}`, { code: 'BUS_INVALID_OPTION' });
    }
  }
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InternalError(`Invalid listener concurrency ${concurrency}`, { code: 'BUS_INVALID_OPTION' });
  }
  const exchanges = options.exchanges?.map((e) => checkName('exchange', e));
  const matches = eventTypeMatcher(options.eventTypes);
  const maxLength = internals.notificationQueueMaxLength;
  const queues =
    pool === undefined
      ? topics.flatMap((topic) => priorities.map((p) => notificationQueue(topic, p, exchanges, maxLength)))
      : [
          poolQueue(
            pool,
            topics.flatMap((topic) => priorities.map((p) => `${topic}.${p}`)),
            exchanges,
            maxLength,
          ),
        ];

  const onMessage = async (message: IncomingMessage): Promise<void> => {
    const decoded = decodeOsloNotification(message.body);
    if (decoded === undefined) {
      // Acknowledged and dropped: a bad message must not come back, nor block the queue.
      internals.logger.warn({ pool, topics }, 'malformed notification dropped');
      return;
    }
    const { context, notification } = decoded;
    if (!matches(notification.event_type)) return;
    try {
      await handler(context, notification);
    } catch (err) {
      internals.logger.error(
        { err, pool, eventType: notification.event_type, messageId: notification.message_id },
        'notification handler failed',
      );
    }
  };

  const subscription = await internals.transport.subscribe(queues, onMessage, { concurrency, ack: 'after' });
  let stopping: Promise<void> | undefined;
  const listener: NotificationListener = {
    pool,
    stop() {
      stopping ??= (async () => {
        untrack();
        await subscription.close();
      })();
      return stopping;
    },
  };
  const untrack = internals.track(listener);
  return listener;
}

/** A predicate for `event_type` from glob patterns; no patterns match everything. */
export function eventTypeMatcher(patterns: readonly string[] | undefined): (eventType: string) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  const source = patterns
    .map((p) =>
      p
        .split('')
        .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join(''),
    )
    .join('|');
  const re = new RegExp(`^(?:${source})$`, 's');
  return (eventType) => re.test(eventType);
}
