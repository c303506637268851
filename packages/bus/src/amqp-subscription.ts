import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { AmqpChannelPool, ChannelMember, SharedChannel } from './amqp-channel-pool';
import type { AmqpTopology } from './amqp-topology';
import type { BusLogger } from './bus-logger';
import { decodeBody } from './message-codec';
import type { IncomingMessage, MessageHandler, QueueSpec, SubscribeOptions, Subscription } from './transport';

/** What a subscription needs from its transport. */
export interface SubscriptionHost {
  readonly topology: AmqpTopology;
  readonly logger: BusLogger;
  readonly channels: AmqpChannelPool;
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
 * One subscription over AMQP: its queues declared (on the pool's declaring channel), consumed on
 * a channel shared with other subscriptions, and at most `concurrency` handlers at once across
 * them. The broker's prefetch (per consumer, `concurrency`) keeps the rest on the broker, where
 * other consumers can take them. After a reconnection, or when its shared channel died, the
 * transport calls `attach` again, which re-declares and re-consumes everything.
 */
export class AmqpSubscription implements Subscription, ChannelMember {
  /** Names this subscription's private fanout queues; stable across reconnections. */
  readonly id = randomUUID().replaceAll('-', '').slice(0, 16);
  private channel: Channel | undefined;
  private shared: SharedChannel | undefined;
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
    const { topology, channels } = this.host;
    const names = await channels.declare(connection, async (ch) => {
      await topology.declareExchange(ch);
      const out: string[] = [];
      for (const spec of this.queues) out.push(await topology.declare(ch, spec, this.id));
      return out;
    });
    if (this.closed) return;
    const shared = await channels.lease(connection, names.length);
    const { channel } = shared;
    shared.members.add(this);
    // Current from the start: deliveries may arrive before the last queue is consumed.
    this.shared = shared;
    this.channel = channel;
    try {
      const { concurrency, ack } = this.options;
      const tags = await shared.exclusive(async () => {
        // RabbitMQ's per-consumer prefetch (0: unlimited) applies to the consumers started next.
        const prefetch = Number.isFinite(concurrency) ? concurrency : 0;
        if (ack !== 'none' && shared.prefetch !== prefetch) {
          await channel.prefetch(prefetch);
          shared.prefetch = prefetch;
        }
        const started: string[] = [];
        for (const queue of names) {
          const { consumerTag } = await channel.consume(queue, (raw) => this.received(channel, raw), {
            noAck: ack === 'none',
          });
          started.push(consumerTag);
        }
        return started;
      });
      this.consumerTags = tags;
      if (this.closed) throw new Error('subscription closed while attaching');
    } catch (err) {
      await this.detach(shared);
      throw err;
    }
  }

  /** Stops consuming on the shared channel and gives back its share (the channel stays). */
  private async detach(shared: SharedChannel): Promise<void> {
    // Already given back when the channel closed.
    if (this.shared !== shared) return;
    const tags = this.consumerTags;
    this.consumerTags = [];
    this.shared = undefined;
    this.channel = undefined;
    if (!shared.retired) {
      for (const tag of tags) await shared.channel.cancel(tag).catch(() => undefined);
    }
    this.host.channels.release(shared, this.queues.length, this);
  }

  /** ChannelMember: the shared channel closed (with its connection, or on a channel error). */
  channelClosed(channel: Channel): void {
    if (this.channel !== channel) return;
    const shared = this.shared;
    this.channel = undefined;
    this.shared = undefined;
    this.consumerTags = [];
    if (shared) this.host.channels.release(shared, this.queues.length, this);
    // Unacknowledged messages go back to the queue with the channel: forget our copies.
    this.waiting = [];
    if (!this.closed) this.host.lost(this);
  }

  private received(channel: Channel, raw: ConsumeMessage | null): void {
    if (raw === null) {
      // The broker cancelled the consumer (its queue was deleted): start over. The channel is
      // shared, so only this subscription's consumers stop; its unacknowledged messages are
      // requeued by the broker when their consumer is cancelled.
      this.host.logger.warn({ queues: this.queues }, 'AMQP consumer cancelled by the broker');
      const shared = this.shared;
      if (shared && shared.channel === channel) {
        this.waiting = [];
        void this.detach(shared).then(() => {
          if (!this.closed) this.host.lost(this);
        });
      }
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
    const shared = this.shared;
    const tags = this.consumerTags;
    this.consumerTags = [];
    if (shared && !shared.retired) {
      for (const tag of tags) await shared.channel.cancel(tag).catch(() => undefined);
    }
    this.waiting = [];
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    }
    // Running handlers acknowledge on the shared channel until here.
    if (shared && this.shared === shared) {
      this.shared = undefined;
      this.channel = undefined;
      this.host.channels.release(shared, this.queues.length, this);
    }
    this.host.forget(this);
  }
}
