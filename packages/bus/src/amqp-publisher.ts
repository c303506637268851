import { ServiceUnavailableError } from '@nimbus/errors';
import type { ConfirmChannel, Options } from 'amqplib';

/** One message on its way to the broker. */
export interface PendingPublish {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
  /** A fanout exchange to declare on the channel before the first publish to it. */
  readonly fanoutExchange?: string;
  /** `Date.now()` after which the message is pointless (a call whose caller gave up): dropped unsent. */
  readonly deadline?: number;
  /** Short description for errors (`topic compute`). */
  readonly describe: string;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Publishes on one confirm channel at a time, with publisher confirms, and keeps what is not
 * confirmed yet:
 * - connected: a message is written at once and settles on the broker's ack (resolve) or nack
 *   (reject `BUS_PUBLISH_NACKED`);
 * - channel lost: every unconfirmed message goes back, in order, to the front of the buffer and
 *   is sent again on the next channel (at least once: the broker may have taken it already);
 * - disconnected: new messages wait in the buffer, up to `maxBuffered`; past that, publishing
 *   fails at once with ServiceUnavailableError `BUS_BUFFER_FULL` rather than hold a caller, or
 *   memory, without bound.
 */
export class AmqpPublisher {
  private channel: ConfirmChannel | undefined;
  private buffer: PendingPublish[] = [];
  /** Written, not confirmed; insertion order is publish order. */
  private readonly unconfirmed = new Set<PendingPublish>();
  private fanoutsDeclared = new Map<string, Promise<void>>();

  constructor(private readonly maxBuffered: number) {}

  /** Messages waiting for a channel. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** True while a channel is attached. */
  get attached(): boolean {
    return this.channel !== undefined;
  }

  /** Sends now, or buffers while disconnected (rejects the message when the buffer is full). */
  publish(item: PendingPublish): void {
    if (this.channel) {
      this.send(this.channel, item);
    } else if (this.buffer.length >= this.maxBuffered) {
      item.reject(
        new ServiceUnavailableError(
          `The message bus is disconnected from the broker and its buffer is full (${this.maxBuffered} messages): ${item.describe} was not sent`,
          { code: 'BUS_BUFFER_FULL' },
        ),
      );
    } else {
      this.buffer.push(item);
    }
  }

  /** Starts using a fresh channel and sends the buffer through it, in order. */
  attach(channel: ConfirmChannel): void {
    this.channel = channel;
    this.fanoutsDeclared = new Map();
    const waiting = this.buffer;
    this.buffer = [];
    for (const item of waiting) this.send(channel, item);
  }

  /** The channel is gone: unconfirmed messages return to the front of the buffer. */
  detach(channel: ConfirmChannel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    const back = [...this.unconfirmed];
    this.unconfirmed.clear();
    this.buffer = back.concat(this.buffer);
  }

  /** Waits (at most `timeoutMs`) for the broker to confirm what was written. */
  async flush(timeoutMs: number): Promise<void> {
    const channel = this.channel;
    if (!channel || this.unconfirmed.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      channel.waitForConfirms().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Rejects everything still pending (the bus is closing). */
  failAll(err: unknown): void {
    const all = [...this.unconfirmed, ...this.buffer];
    this.unconfirmed.clear();
    this.buffer = [];
    for (const item of all) item.reject(err);
  }

  private send(channel: ConfirmChannel, item: PendingPublish): void {
    if (item.fanoutExchange === undefined) {
      this.write(channel, item);
      return;
    }
    // Publishing to an exchange that does not exist closes the channel: declare it first, once
    // per channel. Later messages to the same fanout queue up behind the same promise, in order.
    const name = item.fanoutExchange;
    let declared = this.fanoutsDeclared.get(name);
    if (!declared) {
      declared = channel.assertExchange(name, 'fanout', { durable: true }).then(() => undefined);
      this.fanoutsDeclared.set(name, declared);
    }
    declared.then(
      () => this.write(channel, item),
      () => this.write(channel, item),
    );
  }

  private write(channel: ConfirmChannel, item: PendingPublish): void {
    if (channel !== this.channel) {
      // The channel died while the exchange was being declared.
      if (this.channel) this.send(this.channel, item);
      else this.buffer.unshift(item);
      return;
    }
    let options = item.options;
    if (item.deadline !== undefined) {
      const left = item.deadline - Date.now();
      if (left <= 0) {
        item.resolve();
        return;
      }
      // The broker drops the request once its caller has stopped waiting (message TTL).
      options = { ...options, expiration: String(left) };
    }
    this.unconfirmed.add(item);
    try {
      channel.publish(item.exchange, item.routingKey, item.content, options, (err: Error | null) =>
        this.confirmed(item, err),
      );
    } catch (err) {
      // A closing channel refuses writes; `detach` (on its close event) sends the message again.
      if ((err as Error)?.name !== 'IllegalOperationError') {
        this.unconfirmed.delete(item);
        item.reject(err);
      }
    }
  }

  private confirmed(item: PendingPublish, err: Error | null): void {
    if (!this.unconfirmed.has(item)) return;
    // Without a nack, an error means the channel closed before the confirm came: `detach` keeps
    // the message for the next channel.
    if (err && err.message !== 'message nacked') return;
    this.unconfirmed.delete(item);
    if (err) {
      item.reject(
        new ServiceUnavailableError(`The broker refused ${item.describe}`, {
          code: 'BUS_PUBLISH_NACKED',
          cause: err,
        }),
      );
    } else {
      item.resolve();
    }
  }
}
