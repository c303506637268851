import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { AmqpTopology } from './amqp-topology';
import type { BusLogger } from './bus-logger';
import { decodeBody } from './message-codec';
import type { IncomingMessage, MessageHandler, QueueSpec, SubscribeOptions, Subscription } from './transport';

/** What a subscription needs from its transport. */
export interface SubscriptionHost {
  readonly topology: AmqpTopology;
  readonly logger: BusLogger;
  /** The subscription lost its channel while the bus is open: attach it again later. */
  lost(subscription: AmqpSubscription): void;
  /** The subscription closed for good. */
  forget(subscription: AmqpSubscription): void;
}

interface Waiting {
  channel: Channel;
  raw: ConsumeMessage;
  message: IncomingMessage;
  /** Local time after which the sender no longer waits (from the message TTL, counted from receipt). */
  expiresAt: number | undefined;
}

/**
 * One subscription over AMQP: its own channel (so a channel error stays local), its queues
 * declared and consumed on it, and at most `concurrency` handlers at once across them. The
 * broker's prefetch (per consumer, `concurrency`) keeps the rest on the broker, where other
 * consumers can take them. After a reconnection the transport calls `attach` again, which
 * re-declares and re-consumes everything.
 */
export class AmqpSubscription implements Subscription {
  /** Names this subscription's private fanout queues; stable across reconnections. */
  readonly id = randomUUID().replaceAll('-', '').slice(0, 16);
  private channel: Channel | undefined;
  private attaching: Promise<void> | undefined;
  private consumerTags: string[] = [];
  private waiting: Waiting[] = [];
  private running = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private idle: (() => void) | undefined;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly queues: readonly QueueSpec[],
    private readonly handler: MessageHandler,
    private readonly options: SubscribeOptions,
  ) {}

  /** True while consuming on a live channel. */
  get attached(): boolean {
    return this.channel !== undefined;
  }

  /** Declares the queues and consumes them on a new channel of `connection` (no-op when attached). */
  attach(connection: ChannelModel): Promise<void> {
    if (this.attaching) return this.attaching;
    if (this.closed || this.channel) return Promise.resolve();
    this.attaching = this.open(connection).finally(() => {
      this.attaching = undefined;
    });
    return this.attaching;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async open(connection: ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    channel.on('error', (err: Error) => this.host.logger.warn({ err }, 'AMQP consumer channel error'));
    channel.on('close', () => this.channelClosed(channel));
    // Current from the start: deliveries may arrive before the last queue is consumed.
    this.channel = channel;
    try {
      const { concurrency, ack } = this.options;
      if (Number.isFinite(concurrency) && ack !== 'none') await channel.prefetch(concurrency);
      await this.host.topology.declareExchange(channel);
      const tags: string[] = [];
      for (const spec of this.queues) {
        const queue = await this.host.topology.declare(channel, spec, this.id);
        const { consumerTag } = await channel.consume(queue, (raw) => this.received(channel, raw), {
          noAck: ack === 'none',
        });
        tags.push(consumerTag);
      }
      if (this.closed) throw new Error('subscription closed while attaching');
      this.consumerTags = tags;
    } catch (err) {
      if (this.channel === channel) this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw err;
    }
  }

  private channelClosed(channel: Channel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    // Unacknowledged messages go back to the queue with the channel: forget our copies.
    this.waiting = [];
    if (!this.closed) this.host.lost(this);
  }

  private received(channel: Channel, raw: ConsumeMessage | null): void {
    if (raw === null) {
      // The broker cancelled the consumer (its queue was deleted): start over on a new channel.
      this.host.logger.warn({ queues: this.queues }, 'AMQP consumer cancelled by the broker');
      channel.close().catch(() => undefined);
      return;
    }
    let body: unknown;
    try {
      body = decodeBody(raw.content);
    } catch (err) {
      this.host.logger.warn({ err }, 'undecodable AMQP message dropped');
      if (this.options.ack !== 'none') this.ack(channel, raw);
      return;
    }
    const { correlationId, replyTo, expiration } = raw.properties as {
      correlationId?: string;
      replyTo?: string;
      expiration?: string;
    };
    const message: IncomingMessage = { body, correlationId, replyTo };
    if (this.running < this.options.concurrency) {
      this.run({ channel, raw, message, expiresAt: undefined });
      return;
    }
    // The broker enforces the TTL only while the message is in its queue; a message prefetched
    // here waits for a free slot, so keep to the TTL here too. Counting from receipt can only
    // make it later than the caller's deadline, never earlier (no clocks compared across hosts).
    const ttl = expiration === undefined ? Number.NaN : Number(expiration);
    this.waiting.push({
      channel,
      raw,
      message,
      expiresAt: Number.isFinite(ttl) ? Date.now() + ttl : undefined,
    });
  }

  private run(item: Waiting): void {
    const { ack } = this.options;
    this.running++;
    if (ack === 'before') this.ack(item.channel, item.raw);
    let result: unknown;
    try {
      result = this.handler(item.message);
    } catch (err) {
      result = Promise.reject(err);
    }
    Promise.resolve(result)
      .catch((err: unknown) => this.host.logger.error({ err }, 'message handler failed'))
      .finally(() => {
        if (ack === 'after') this.ack(item.channel, item.raw);
        this.running--;
        this.next();
      });
  }

  private next(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const item = this.waiting.shift()!;
      if (item.channel !== this.channel) continue;
      if (item.expiresAt !== undefined && item.expiresAt <= Date.now()) {
        if (this.options.ack !== 'none') this.ack(item.channel, item.raw);
        continue;
      }
      this.run(item);
    }
    if (this.running === 0) this.idle?.();
  }

  private ack(channel: Channel, raw: ConsumeMessage): void {
    // On a dead channel the broker has already requeued the message: nothing to acknowledge.
    if (channel !== this.channel) return;
    try {
      channel.ack(raw);
    } catch {
      // closing channel: same as above
    }
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    await this.attaching?.catch(() => undefined);
    const channel = this.channel;
    if (channel) {
      for (const tag of this.consumerTags) await channel.cancel(tag).catch(() => undefined);
    }
    this.waiting = [];
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    }
    this.channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
    this.host.forget(this);
  }
}
