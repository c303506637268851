/**
 * The contract between the bus (RPC and notification semantics) and a transport (how bytes or
 * objects move). A transport knows nothing of methods, replies or notifications: it routes
 * messages to queues and hands each queued message to one consumer. Both transports follow it
 * to the letter, so one behavioural suite runs against both.
 *
 * Routing model (RabbitMQ's, which the in-process transport copies):
 * - one topic exchange per bus; a message published with a routing key goes to every shared
 *   queue bound to exactly that key (no wildcards are used);
 * - one fanout exchange per RPC topic; every fanout queue of that topic gets a copy;
 * - the default exchange: a message addressed to a queue by name (replies).
 * Each message of a queue goes to one of its consumers, in turn.
 */

/** Where a message is published. */
export type Destination =
  /**
   * A topic exchange: the bus's own (RPC topic, `topic.server`) unless `exchange` names another
   * (a service's control exchange for notifications, oslo's `keystone`, `glance`...).
   */
  | { readonly kind: 'topic'; readonly routingKey: string; readonly exchange?: string }
  /** Every fanout queue of an RPC topic. */
  | { readonly kind: 'fanout'; readonly topic: string }
  /** One queue by its logical name (reply queues). */
  | { readonly kind: 'direct'; readonly queue: string };

/** A shared, durable queue: consumers of the same name take turns. */
export interface SharedQueueSpec {
  readonly kind: 'shared';
  /** Logical name, unique within the bus (the AMQP transport prefixes it with the exchange). */
  readonly name: string;
  /** Routing keys of the topic exchange bound to it. */
  readonly routingKeys: readonly string[];
  /** Topic exchanges the routing keys are bound on. Default: the bus's own. */
  readonly exchanges?: readonly string[];
  /**
   * oslo.messaging's layout: the broker queue is named exactly `name` (no exchange prefix) and
   * declared with no arguments (no length bound, no expiry), so oslo consumers that declare the
   * same queue (notification listeners) agree with it. RabbitMQ refuses a re-declaration with
   * other arguments, so bounds for such queues come from broker policies.
   */
  readonly exactName?: boolean;
  /** Oldest messages are dropped past this many (notification queues nobody reads). Ignored by AMQP when `exactName`. */
  readonly maxLength?: number;
}

/** What a subscription consumes. */
export type QueueSpec =
  | SharedQueueSpec
  /** A queue private to this subscription, bound to the topic's fanout exchange. */
  | { readonly kind: 'fanout'; readonly topic: string }
  /** A queue private to this subscription, addressed by name (`direct` destinations). */
  | { readonly kind: 'private'; readonly name: string };

/** A message to publish. `body` must be JSON-serialisable (the in-process transport does not copy it). */
export interface OutgoingMessage {
  readonly body: object;
  readonly correlationId?: string;
  /** Logical name of the private queue the answer goes to. */
  readonly replyTo?: string;
  /** The message is dropped, unseen, if no consumer took it within this many milliseconds. */
  readonly ttlMs?: number;
  /** Keep the message across a broker restart (RabbitMQ delivery mode 2). */
  readonly persistent?: boolean;
}

/** A message handed to a subscription. */
export interface IncomingMessage {
  readonly body: unknown;
  readonly correlationId?: string;
  readonly replyTo?: string;
}

/**
 * When a consumed message is acknowledged:
 * - `before`: when its handler starts (at most once once started: RPC, as oslo.messaging);
 * - `after`: when its handler settles (a crash or disconnect redelivers it: notifications);
 * - `none`: on delivery, by the broker itself (reply queues).
 */
export type AckMode = 'before' | 'after' | 'none';

/** How a subscription consumes. */
export interface SubscribeOptions {
  /** Handlers running at once across the subscription's queues (`Infinity`: no limit). */
  readonly concurrency: number;
  readonly ack: AckMode;
}

/**
 * Handles one message. Exceptions and rejections are the handler's own business: the transport
 * logs them and carries on.
 */
export type MessageHandler = (message: IncomingMessage) => unknown;

/** A running consumer. */
export interface Subscription {
  /** Stops taking messages, then waits for the running handlers to settle. Idempotent. */
  close(): Promise<void>;
}

/** The state a bus reports for health checks and metrics. */
export interface TransportHealth {
  readonly transport: 'memory' | 'amqp';
  /** False while the AMQP transport is reconnecting (or after close). */
  readonly connected: boolean;
  /** Successful reconnections since the bus was created. */
  readonly reconnects: number;
  /** Messages waiting for the connection to come back. */
  readonly bufferedMessages: number;
}

/** Moves messages. See the file comment for the routing model. */
export interface Transport {
  readonly kind: 'memory' | 'amqp';
  /**
   * Publishes a message. Resolves once the transport owns it: at once in process, on the
   * broker's publisher confirm over AMQP. Rejects with a ServiceUnavailableError when the
   * message cannot be taken (closed, or disconnected with a full buffer). Unroutable messages
   * (no queue bound) are dropped silently, as RabbitMQ does.
   */
  publish(destination: Destination, message: OutgoingMessage): Promise<void>;
  /** Creates a shared queue and its bindings ahead of any consumer, so messages wait in it. */
  declare(queue: SharedQueueSpec): Promise<void>;
  /** Declares the queues and starts consuming them. */
  subscribe(
    queues: readonly QueueSpec[],
    handler: MessageHandler,
    options: SubscribeOptions,
  ): Promise<Subscription>;
  health(): TransportHealth;
  /** Releases everything; pending publishes are flushed when possible, else rejected. */
  close(): Promise<void>;
}
