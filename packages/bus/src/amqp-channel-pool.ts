import type { Channel, ChannelModel } from 'amqplib';
import type { BusLogger } from './bus-logger';

/** Something consuming on a shared channel: told when the channel dies. */
export interface ChannelMember {
  channelClosed(channel: Channel): void;
}

/** Consumers one shared channel carries before the pool opens another. */
export const CONSUMERS_PER_CHANNEL = 1000;

/** How often a declaration is tried again when another declaration killed the shared channel. */
const DECLARE_ATTEMPTS = 3;

/**
 * Declaring channels used in turn: a channel has one request in flight at a time, so a few let
 * a thousand servers declare their queues in parallel.
 */
const DECLARING_CHANNELS = 4;

/**
 * One channel consumed on by many subscriptions. Setting the prefetch and starting a consumer
 * must not interleave with another subscription's (RabbitMQ applies `basic.qos` to consumers
 * started after it on the channel), so those steps run through `exclusive`.
 */
export class SharedChannel {
  /** Consumers counted against this channel (reserved at lease, released at close). */
  consumers = 0;
  /** No new lease: it is closing or closed. */
  retired = false;
  /** The prefetch last set on the channel (consumers started next get it). */
  prefetch: number | undefined;
  readonly members = new Set<ChannelMember>();
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly channel: Channel,
    readonly connection: ChannelModel,
  ) {}

  /** Runs `step` alone on this channel. */
  exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.lock.then(step, step);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

/**
 * The consumer channels of one AMQP transport: subscriptions share a few channels (up to
 * `perChannel` consumers each) instead of one channel each, so a process serving a thousand
 * per-host RPC servers holds a handful of channels. Queues are declared on a separate channel
 * (a refused declaration closes the channel it was made on, and must not stop consumers).
 *
 * Trade-off: a channel-level error (the broker cancelling a channel) stops every consumer on
 * that channel; each of them is re-attached by the transport, as after a reconnection.
 */
export class AmqpChannelPool {
  private readonly channels: SharedChannel[] = [];
  private creating: Promise<void> | undefined;
  private readonly declarers: ({ connection: ChannelModel; channel: Promise<Channel> } | undefined)[] = [];
  private turn = 0;

  constructor(
    private readonly logger: BusLogger,
    private readonly perChannel = CONSUMERS_PER_CHANNEL,
  ) {}

  /** Open consumer channels, for health reports and tests. */
  get size(): number {
    return this.channels.length;
  }

  /** A channel of `connection` with room for `consumers` more, opened when none has. */
  async lease(connection: ChannelModel, consumers: number): Promise<SharedChannel> {
    for (;;) {
      const usable = this.channels.filter((c) => c.connection === connection && !c.retired);
      const found =
        usable.find((c) => c.consumers + consumers <= this.perChannel) ??
        usable.find((c) => c.consumers === 0);
      if (found) {
        found.consumers += consumers;
        return found;
      }
      this.creating ??= this.open(connection).finally(() => {
        this.creating = undefined;
      });
      await this.creating;
    }
  }

  /** Gives back what `lease` reserved; an empty channel is closed unless it is the last one. */
  release(shared: SharedChannel, consumers: number, member: ChannelMember): void {
    shared.members.delete(member);
    shared.consumers -= consumers;
    const alive = this.channels.filter((c) => c.connection === shared.connection && !c.retired);
    if (shared.consumers <= 0 && alive.length > 1 && !shared.retired) {
      shared.retired = true;
      shared.channel.close().catch(() => undefined);
    }
  }

  /**
   * Runs declarations on the declaring channel of `connection`. When they fail (the broker
   * refused one of them, or another declaration closed the channel under them) they are tried
   * again on a fresh channel; a declaration refused for its own sake fails every attempt.
   */
  async declare<T>(connection: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T> {
    let last: unknown;
    for (let attempt = 0; attempt < DECLARE_ATTEMPTS; attempt++) {
      const slot = this.turn++ % DECLARING_CHANNELS;
      const opening = this.declaringChannel(connection, slot);
      const channel = await opening;
      try {
        return await work(channel);
      } catch (err) {
        last = err;
        // The broker closes the channel on a refusal: start the next attempt on a fresh one.
        if (this.declarers[slot]?.channel === opening) this.declarers[slot] = undefined;
        channel.close().catch(() => undefined);
      }
    }
    throw last;
  }

  private declaringChannel(connection: ChannelModel, slot: number): Promise<Channel> {
    const current = this.declarers[slot];
    if (current?.connection === connection) return current.channel;
    const forget = () => {
      if (this.declarers[slot]?.channel === channel) this.declarers[slot] = undefined;
    };
    const channel = connection.createChannel().then((ch) => {
      ch.on('error', () => undefined);
      ch.on('close', forget);
      return ch;
    });
    channel.catch(forget);
    this.declarers[slot] = { connection, channel };
    return channel;
  }

  private async open(connection: ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    const shared = new SharedChannel(channel, connection);
    channel.on('error', (err: Error) => this.logger.warn({ err }, 'AMQP consumer channel error'));
    channel.on('close', () => {
      shared.retired = true;
      const i = this.channels.indexOf(shared);
      if (i >= 0) this.channels.splice(i, 1);
      for (const member of [...shared.members]) member.channelClosed(channel);
    });
    this.channels.push(shared);
  }
}
