import { ServiceUnavailableError } from '@nimbus/errors';
import type { BusLogger } from './bus-logger';
import {
  acquireMemoryBroker,
  type MemoryBroker,
  MemoryConsumer,
  type MemoryQueue,
  releaseMemoryBroker,
} from './memory-broker';
import { unserializable } from './message-codec';
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

/** Options of the in-process transport. */
export interface MemoryTransportOptions {
  /** Broker name: buses opened with the same name share queues (`memory://name`). */
  brokerName: string;
  /** The bus's topic exchange: it names shared queues and routes topic messages, as over AMQP. */
  exchange: string;
  logger: BusLogger;
  /**
   * Copy every body through JSON, as AMQP would (slower). Off by default: bodies are handed
   * over as they are, so senders and receivers must treat them as immutable.
   */
  copyMessages?: boolean;
}

const RESOLVED = Promise.resolve();

/**
 * The in-process transport (`memory://`): the routing model of the Transport contract with
 * plain objects and microtasks. Messages are not copied (unless asked), nothing is persisted,
 * and a message published is owned by the process at once.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory';
  private readonly broker: MemoryBroker;
  private readonly subscriptions = new Set<MemorySubscription>();
  private closed = false;

  constructor(private readonly options: MemoryTransportOptions) {
    this.broker = acquireMemoryBroker(options.brokerName);
  }

  publish(destination: Destination, message: OutgoingMessage): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    let outgoing = message;
    if (this.options.copyMessages) {
      try {
        outgoing = { ...message, body: JSON.parse(JSON.stringify(message.body)) as object };
      } catch (err) {
        return Promise.reject(unserializable(err));
      }
    }
    this.broker.route(destination, outgoing, this.options.exchange);
    return RESOLVED;
  }

  declare(queue: SharedQueueSpec): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    this.declareShared(queue);
    return RESOLVED;
  }

  private declareShared(spec: SharedQueueSpec): MemoryQueue {
    const { exchange } = this.options;
    const name = spec.exactName ? spec.name : `${exchange}.${spec.name}`;
    return this.broker.declareShared(name, spec.exchanges ?? [exchange], spec.routingKeys, spec.maxLength);
  }

  async subscribe(
    queues: readonly QueueSpec[],
    handler: MessageHandler,
    options: SubscribeOptions,
  ): Promise<Subscription> {
    if (this.closed) throw closedError();
    const consumer = new MemoryConsumer(handler, options.concurrency, this.options.logger);
    const owned: MemoryQueue[] = [];
    for (const spec of queues) {
      let queue: MemoryQueue;
      if (spec.kind === 'shared') queue = this.declareShared(spec);
      else {
        queue =
          spec.kind === 'fanout'
            ? this.broker.declareFanout(this.options.exchange, spec.topic)
            : this.broker.declarePrivate(spec.name);
        owned.push(queue);
      }
      consumer.queues.push(queue);
      queue.consumers.push(consumer);
    }
    const subscription = new MemorySubscription(this.broker, consumer, owned, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    for (const q of consumer.queues) q.schedule();
    return subscription;
  }

  health(): TransportHealth {
    return { transport: 'memory', connected: !this.closed, reconnects: 0, bufferedMessages: 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    releaseMemoryBroker(this.broker);
  }
}

class MemorySubscription implements Subscription {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly broker: MemoryBroker,
    private readonly consumer: MemoryConsumer,
    private readonly owned: MemoryQueue[],
    private readonly forget: () => void,
  ) {}

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const q of this.consumer.queues) {
        const i = q.consumers.indexOf(this.consumer);
        if (i >= 0) q.consumers.splice(i, 1);
      }
      for (const q of this.owned) this.broker.deletePrivate(q);
      this.forget();
      await this.consumer.stop();
    })();
    return this.closing;
  }
}

function closedError(): ServiceUnavailableError {
  return new ServiceUnavailableError('The message bus is closed', { code: 'BUS_CLOSED' });
}
