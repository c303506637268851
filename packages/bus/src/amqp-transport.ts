import { ServiceUnavailableError } from '@nimbus/errors';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { AmqpChannelPool } from './amqp-channel-pool';
import { AmqpPublisher, type PendingPublish } from './amqp-publisher';
import { AmqpSubscription, type SubscriptionHost } from './amqp-subscription';
import { AmqpTopology } from './amqp-topology';
import type { BusLogger } from './bus-logger';
import { encodeBody } from './message-codec';
import type {
  Destination,
  MessageHandler,
  OutgoingMessage,
  QueueSpec,
  SharedQueueSpec,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportHealth,
} from './transport';

/** Options of the AMQP transport (see `BusOptions` for their meaning and defaults). */
export interface AmqpTransportOptions {
  url: string;
  /** The URL without its password, for messages. */
  redactedUrl: string;
  exchange: string;
  logger: BusLogger;
  maxBufferedMessages: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
  queueExpiryMs: number | undefined;
  connectionName: string;
  connectTimeoutMs: number;
}

/** How long `close()` waits for the broker to confirm what was published. */
const CLOSE_FLUSH_MS = 5000;
/** Delay before a subscription whose channel failed (connection alive) is attached again. */
const REATTACH_DELAY_MS = 1000;

/**
 * RabbitMQ (AMQP 0-9-1) transport. One connection; one confirm channel for publishing, one for
 * declarations, and consumer channels shared by the subscriptions (`AmqpChannelPool`). When the connection drops it reconnects with exponential backoff
 * (with jitter), re-declares the exchange, the queues notifiers declared and every
 * subscription's queues and consumers, then sends what was buffered meanwhile.
 */
export class AmqpTransport implements Transport, SubscriptionHost {
  readonly kind = 'amqp';
  readonly topology: AmqpTopology;
  readonly logger: BusLogger;
  readonly channels: AmqpChannelPool;
  private connection: ChannelModel | undefined;
  private readonly publisher: AmqpPublisher;
  private readonly subscriptions = new Set<AmqpSubscription>();
  /** Queues declared ahead of consumers (notifications), re-declared after each reconnection. */
  private readonly declared = new Map<string, { spec: SharedQueueSpec; done: Promise<void> }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private attempts = 0;
  private reconnects = 0;
  private closed = false;

  private constructor(private readonly options: AmqpTransportOptions) {
    this.topology = new AmqpTopology(options.exchange, options.queueExpiryMs);
    this.logger = options.logger;
    this.channels = new AmqpChannelPool(options.logger);
    this.publisher = new AmqpPublisher(options.maxBufferedMessages);
  }

  /**
   * Connects (once: no retry at startup, so a wrong URL or a missing broker fails loudly) and
   * returns the transport. Rejects with ServiceUnavailableError `BUS_UNREACHABLE`.
   */
  static async open(options: AmqpTransportOptions): Promise<AmqpTransport> {
    const transport = new AmqpTransport(options);
    try {
      transport.connecting = transport.connect();
      await transport.connecting;
    } catch (err) {
      throw new ServiceUnavailableError(
        `Cannot reach the message broker at ${options.redactedUrl}: ${(err as Error)?.message ?? err}. ` +
          'Is RabbitMQ running? (scripts/ensure-rabbitmq.sh installs and starts it)',
        { code: 'BUS_UNREACHABLE', cause: err },
      );
    } finally {
      transport.connecting = undefined;
    }
    return transport;
  }

  publish(destination: Destination, message: OutgoingMessage): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    let content: Buffer;
    try {
      content = encodeBody(message.body);
    } catch (err) {
      return Promise.reject(err);
    }
    const options: Options.Publish = { contentType: 'application/json' };
    if (message.correlationId !== undefined) options.correlationId = message.correlationId;
    if (message.replyTo !== undefined) options.replyTo = message.replyTo;
    if (message.persistent) options.persistent = true;
    const deadline = message.ttlMs === undefined ? undefined : Date.now() + message.ttlMs;
    return new Promise<void>((resolve, reject) => {
      const base = { content, options, deadline, resolve, reject };
      let item: PendingPublish;
      switch (destination.kind) {
        case 'topic':
          item = {
            ...base,
            exchange: destination.exchange ?? this.topology.exchange,
            routingKey: destination.routingKey,
            describe: `message to ${destination.routingKey}`,
          };
          break;
        case 'fanout': {
          const exchange = this.topology.fanoutExchange(destination.topic);
          item = {
            ...base,
            exchange,
            routingKey: '',
            fanoutExchange: exchange,
            describe: `fanout to ${destination.topic}`,
          };
          break;
        }
        case 'direct':
          item = {
            ...base,
            exchange: '',
            routingKey: this.topology.queueName(destination.queue),
            describe: 'reply',
          };
          break;
      }
      this.publisher.publish(item);
    });
  }

  declare(spec: SharedQueueSpec): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    const key = `${spec.name} ${(spec.exchanges ?? []).join(',')}`;
    const known = this.declared.get(key);
    if (known) return known.done;
    const connection = this.connection;
    // While disconnected the queue is declared on reconnection, before anything buffered is sent.
    const done = connection ? this.declareOn(connection, [spec]) : Promise.resolve();
    this.declared.set(key, { spec, done });
    done.catch(() => this.declared.delete(key));
    return done;
  }

  async subscribe(
    queues: readonly QueueSpec[],
    handler: MessageHandler,
    options: SubscribeOptions,
  ): Promise<Subscription> {
    if (this.closed) throw closedError();
    const subscription = new AmqpSubscription(this, queues, handler, options);
    this.subscriptions.add(subscription);
    if (this.connection) {
      try {
        await subscription.attach(this.connection);
      } catch (err) {
        await subscription.close();
        throw err;
      }
    }
    return subscription;
  }

  health(): TransportHealth {
    return {
      transport: 'amqp',
      connected: !this.closed && this.connection !== undefined && this.publisher.attached,
      reconnects: this.reconnects,
      bufferedMessages: this.publisher.buffered,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.connecting?.catch(() => undefined);
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.publisher.flush(CLOSE_FLUSH_MS);
    this.publisher.failAll(closedError());
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  /** SubscriptionHost: a subscription's channel failed; the connection may still be fine. */
  lost(subscription: AmqpSubscription): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // After a connection loss the reconnection attaches it; here only the channel had failed.
      if (this.connection && !this.connecting && !subscription.attached) {
        subscription.attach(this.connection).catch((err: unknown) => {
          this.logger.warn({ err }, 'AMQP consumer could not be restored; retrying');
          this.lost(subscription);
        });
      }
    }, REATTACH_DELAY_MS);
    this.timers.add(timer);
  }

  /** SubscriptionHost: a subscription closed. */
  forget(subscription: AmqpSubscription): void {
    this.subscriptions.delete(subscription);
  }

  private async connect(): Promise<void> {
    const { url, connectionName, connectTimeoutMs } = this.options;
    // Loaded on first use: the all-in-one cloud (in-process bus) never needs the AMQP client.
    const { connect } = await import('amqplib');
    const connection = await connect(url, {
      clientProperties: { connection_name: connectionName },
      timeout: connectTimeoutMs,
      // RPC is request/response of small frames: Nagle's algorithm would add ~40 ms to each.
      noDelay: true,
      keepAlive: true,
    });
    connection.on('error', (err: Error) => this.logger.warn({ err }, 'AMQP connection error'));
    connection.on('close', () => this.connectionLost(connection));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (err: Error) => this.logger.warn({ err }, 'AMQP publisher channel error'));
      channel.on('close', () => this.publisherLost(connection, channel));
      await this.topology.declareExchange(channel);
      await this.declareOn(
        connection,
        [...this.declared.values()].map((d) => d.spec),
      );
      if (this.closed) throw new Error('bus closed while connecting');
      this.connection = connection;
      // Consumers first: replies to buffered calls need the reply queue back.
      for (const s of this.subscriptions) await s.attach(connection);
      if (this.connection !== connection) throw new Error('connection lost while recovering');
      this.publisher.attach(channel);
    } catch (err) {
      if (this.connection === connection) this.connection = undefined;
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  /** Declares shared queues on the declaring channel: a refused declaration closes only that channel. */
  private async declareOn(connection: ChannelModel, specs: readonly SharedQueueSpec[]): Promise<void> {
    if (specs.length === 0) return;
    await this.channels.declare(connection, async (channel) => {
      await this.topology.declareExchange(channel);
      for (const spec of specs) await this.topology.declareShared(channel, spec);
    });
  }

  private connectionLost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (this.closed) return;
    this.logger.warn({ url: this.options.redactedUrl }, 'AMQP connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private publisherLost(connection: ChannelModel, channel: ConfirmChannel): void {
    this.publisher.detach(channel);
    // The publisher channel only fails with its connection, or on a broker-side error (an
    // exchange deleted under us): start over with a fresh connection in both cases.
    if (this.connection === connection && !this.closed) connection.close().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.connecting) return;
    this.attempts++;
    const { reconnectInitialDelayMs: first, reconnectMaxDelayMs: max } = this.options;
    const base = Math.min(max, first * 2 ** (this.attempts - 1));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    this.connecting = this.connect();
    try {
      await this.connecting;
      this.attempts = 0;
      this.reconnects++;
      this.logger.info(
        { url: this.options.redactedUrl, reconnects: this.reconnects },
        'AMQP connection restored',
      );
    } catch (err) {
      this.logger.warn({ err, attempt: this.attempts }, 'AMQP reconnection failed');
    } finally {
      this.connecting = undefined;
    }
    if (!this.connection) this.scheduleReconnect();
  }
}

function closedError(): ServiceUnavailableError {
  return new ServiceUnavailableError('The message bus is closed', { code: 'BUS_CLOSED' });
}
