import type {
  NotificationHandler,
  NotificationListener,
  NotificationListenerOptions,
} from './notification-listener';
import type { Notifier, NotifierOptions } from './notifier';
import type { RpcClient, RpcClientOptions, RpcTarget } from './rpc-client';
import type { RpcEndpoints, RpcServer, RpcServerOptions, RpcServerTarget } from './rpc-server';
import type { TransportHealth } from './transport';

/** What a bus reports for health checks and metrics. */
export type BusHealth = TransportHealth;

/**
 * The message bus every Nimbus worker talks over: oslo.messaging's RPC (call, cast, fanout) and
 * notifications, over an in-process transport (all-in-one) or RabbitMQ (scale-out). Code that
 * uses it cannot tell which transport runs underneath, except for the documented differences
 * (in process, message bodies are passed without copying; AMQP serialises them as JSON).
 *
 * Delivery guarantees:
 * - a resolved `cast()` or `notify()` is owned by the transport (over AMQP: confirmed by the
 *   broker, persistent, on a durable queue) and reaches a consumer at least once, across broker
 *   restarts and reconnections; a redelivery after a disconnect can duplicate it, so handlers
 *   must be idempotent;
 * - an RPC message is acknowledged when its handler starts: a started handler is not restarted;
 * - fanout casts reach the servers connected at the time (their queues are private).
 */
export interface MessageBus {
  /** The transport URL, password removed. */
  readonly url: string;
  /**
   * Starts serving RPC for `target`: consumes the shared topic queue (the servers of a topic take
   * turns), the `topic.server` queue (messages for this server only) and the topic's fanout.
   * Resolves once consuming (over AMQP, when disconnected: once registered; consumers start on
   * reconnection). An unknown method, or an endpoint that throws, answers the caller with an
   * error and never stops the server.
   */
  rpcServer(target: RpcServerTarget, endpoints: RpcEndpoints, options?: RpcServerOptions): Promise<RpcServer>;
  /** A client for `target`. Cheap: create one per target and keep it, or `prepare()` variants. */
  rpcClient(target: RpcTarget, options?: RpcClientOptions): RpcClient;
  /** A notifier publishing as `publisherId` (oslo's `compute.host1` style). */
  notifier(publisherId: string, options?: NotifierOptions): Notifier;
  /**
   * Starts consuming notifications. Listeners of the same `pool` share the messages (each goes
   * to one of them); every pool, and the default pool, gets all of them.
   */
  notificationListener(
    options: NotificationListenerOptions,
    handler: NotificationHandler,
  ): Promise<NotificationListener>;
  health(): BusHealth;
  /**
   * Releases everything: pending calls fail with ServiceUnavailableError (`BUS_CLOSED`), servers
   * and listeners stop (waiting for running handlers), confirmed publishing is flushed, the
   * connection closes, and no timer is left behind. Idempotent.
   */
  close(): Promise<void>;
}
