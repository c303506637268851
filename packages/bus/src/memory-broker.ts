import type { BusLogger } from './bus-logger';
import type { Destination, IncomingMessage, MessageHandler, OutgoingMessage } from './transport';

interface QueuedMessage {
  message: IncomingMessage;
  /** `Date.now()` past which the message is dropped unseen (calls whose caller gave up). */
  expiresAt: number | undefined;
}

/**
 * One queue: messages in order, handed to its consumers in turn (each consumer only while it
 * has capacity left). Dispatch runs in a microtask, never inside `publish`, so a publisher is
 * never re-entered by its own consumer.
 */
export class MemoryQueue {
  readonly consumers: MemoryConsumer[] = [];
  private items: (QueuedMessage | undefined)[] = [];
  private head = 0;
  private turn = 0;
  private scheduled = false;

  constructor(
    readonly name: string,
    private readonly maxLength: number | undefined,
  ) {}

  /** Messages waiting. */
  get size(): number {
    return this.items.length - this.head;
  }

  push(message: IncomingMessage, ttlMs: number | undefined): void {
    if (this.maxLength !== undefined && this.size >= this.maxLength) this.shift();
    this.items.push({ message, expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
    this.schedule();
  }

  /** Asks for a dispatch round (after a push, a new consumer, or freed capacity). */
  schedule(): void {
    if (this.scheduled || this.consumers.length === 0 || this.size === 0) return;
    this.scheduled = true;
    queueMicrotask(this.pump);
  }

  private readonly pump = (): void => {
    this.scheduled = false;
    while (this.size > 0) {
      const consumer = this.nextConsumer();
      if (!consumer) return;
      const item = this.shift()!;
      if (item.expiresAt !== undefined && item.expiresAt <= Date.now()) continue;
      consumer.deliver(item.message);
    }
  };

  private nextConsumer(): MemoryConsumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const index = (this.turn + i) % n;
      const consumer = this.consumers[index]!;
      if (consumer.hasCapacity()) {
        this.turn = (index + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  private shift(): QueuedMessage | undefined {
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact now and then rather than paying Array#shift's copy on every message.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** One subscription's consumer: its handler and the capacity shared across its queues. */
export class MemoryConsumer {
  readonly queues: MemoryQueue[] = [];
  private running = 0;
  private closed = false;
  private idle: (() => void) | undefined;

  constructor(
    private readonly handler: MessageHandler,
    private readonly concurrency: number,
    private readonly logger: BusLogger,
  ) {}

  hasCapacity(): boolean {
    return !this.closed && this.running < this.concurrency;
  }

  deliver(message: IncomingMessage): void {
    this.running++;
    let result: unknown;
    try {
      result = this.handler(message);
    } catch (err) {
      this.failed(err);
      this.done();
      return;
    }
    if (result instanceof Promise) {
      result.then(this.done, (err: unknown) => {
        this.failed(err);
        this.done();
      });
    } else {
      this.done();
    }
  }

  /** Stops taking messages; resolves when the running handlers have settled. */
  stop(): Promise<void> {
    this.closed = true;
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  private readonly done = (): void => {
    this.running--;
    if (this.closed) {
      if (this.running === 0) this.idle?.();
      return;
    }
    for (const q of this.queues) q.schedule();
  };

  private failed(err: unknown): void {
    this.logger.error({ err }, 'message handler failed');
  }
}

/**
 * The in-process broker: queues and bindings shared by every bus opened on the same
 * `memory://name` URL in this process, so a test can run "two processes" in one.
 */
export class MemoryBroker {
  /** Buses attached; the broker is forgotten when the last one closes. */
  users = 0;
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly bindings = new Map<string, Set<MemoryQueue>>();
  private readonly fanouts = new Map<string, Set<MemoryQueue>>();

  constructor(readonly name: string) {}

  /** Gets or creates a shared queue and binds it to `routingKeys` on each of `exchanges`. */
  declareShared(
    name: string,
    exchanges: readonly string[],
    routingKeys: readonly string[],
    maxLength: number | undefined,
  ): MemoryQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new MemoryQueue(name, maxLength);
      this.queues.set(name, queue);
    }
    for (const exchange of exchanges) {
      for (const key of routingKeys) {
        const binding = bindingKey(exchange, key);
        let bound = this.bindings.get(binding);
        if (!bound) {
          bound = new Set();
          this.bindings.set(binding, bound);
        }
        bound.add(queue);
      }
    }
    return queue;
  }

  /** Creates a private queue addressed by name. */
  declarePrivate(name: string): MemoryQueue {
    const queue = new MemoryQueue(name, undefined);
    this.queues.set(name, queue);
    return queue;
  }

  /** Creates a private queue bound to the topic's fanout (of the bus's `exchange`). */
  declareFanout(exchange: string, topic: string): MemoryQueue {
    const key = bindingKey(exchange, topic);
    const queue = new MemoryQueue(`${topic}_fanout`, undefined);
    let bound = this.fanouts.get(key);
    if (!bound) {
      bound = new Set();
      this.fanouts.set(key, bound);
    }
    bound.add(queue);
    return queue;
  }

  /** Removes a private or fanout queue (its subscription ended). */
  deletePrivate(queue: MemoryQueue): void {
    if (this.queues.get(queue.name) === queue) this.queues.delete(queue.name);
    for (const [topic, bound] of this.fanouts) {
      if (bound.delete(queue) && bound.size === 0) this.fanouts.delete(topic);
    }
  }

  /**
   * Routes a message to its queues; unroutable messages are dropped, as RabbitMQ does.
   * `exchange` is the topic exchange of a `topic` destination that names none.
   */
  route(destination: Destination, message: OutgoingMessage, exchange: string): void {
    switch (destination.kind) {
      case 'topic': {
        const bound = this.bindings.get(bindingKey(destination.exchange ?? exchange, destination.routingKey));
        if (bound) for (const q of bound) q.push(message, message.ttlMs);
        return;
      }
      case 'fanout': {
        const bound = this.fanouts.get(bindingKey(exchange, destination.topic));
        if (bound) for (const q of bound) q.push(message, message.ttlMs);
        return;
      }
      case 'direct':
        this.queues.get(destination.queue)?.push(message, message.ttlMs);
        return;
    }
  }
}

/** Exchange names cannot hold blanks (`checkName`), so a space keeps the two parts apart. */
function bindingKey(exchange: string, routingKey: string): string {
  return `${exchange} ${routingKey}`;
}

const brokers = new Map<string, MemoryBroker>();

/** The process-wide broker of `name`, created on first use. Pair with `releaseMemoryBroker`. */
export function acquireMemoryBroker(name: string): MemoryBroker {
  let broker = brokers.get(name);
  if (!broker) {
    broker = new MemoryBroker(name);
    brokers.set(name, broker);
  }
  broker.users++;
  return broker;
}

/** Drops one user of a broker; the last one forgets it (and every message in it). */
export function releaseMemoryBroker(broker: MemoryBroker): void {
  broker.users--;
  if (broker.users <= 0 && brokers.get(broker.name) === broker) brokers.delete(broker.name);
}
