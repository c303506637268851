import type { Channel } from 'amqplib';
import type { QueueSpec, SharedQueueSpec } from './transport';

/**
 * The AMQP names and declarations of one bus. Every name starts with the bus's exchange name,
 * so buses with different exchanges share a broker (and a vhost) without meeting:
 *
 * | what | AMQP object |
 * |---|---|
 * | RPC topic, direct and notification routing | topic exchange `<exchange>` (durable) |
 * | shared queue `<name>` (RPC `compute`, `compute.node7`) | durable queue `<exchange>.<name>` |
 * | notification queue (oslo's layout: `exactName`) `notifications.info`, or a listener pool's `<pool>` | durable queue of exactly that name, no arguments, bound on the control exchange(s) |
 * | fanout of topic `<topic>` | fanout exchange `<exchange>.<topic>_fanout` (durable) |
 * | one server's fanout queue | `<exchange>.<topic>_fanout.<id>` (exclusive, auto-delete) |
 * | a bus's reply queue | `<exchange>.reply.<id>` (exclusive, auto-delete), via the default exchange |
 *
 * Exchanges and shared queues are durable, so persistent casts and notifications survive a
 * broker restart and their bindings are never missing while a publisher reconnects.
 */
export class AmqpTopology {
  /** Exchanges already declared on a channel: declaring once per channel is enough. */
  private readonly exchangesDeclared = new WeakMap<Channel, Set<string>>();

  constructor(
    /** The topic exchange (oslo's `control_exchange`). */
    readonly exchange: string,
    /** Shared queues unused this long are deleted by the broker (`x-expires`); for tests. */
    private readonly queueExpiryMs: number | undefined,
  ) {}

  /** The AMQP queue of a logical queue name. */
  queueName(logical: string): string {
    return `${this.exchange}.${logical}`;
  }

  /** The fanout exchange of an RPC topic. */
  fanoutExchange(topic: string): string {
    return `${this.exchange}.${topic}_fanout`;
  }

  /** Declares the bus's topic exchange, or another topic exchange (a control exchange). */
  async declareExchange(ch: Channel, name: string = this.exchange): Promise<void> {
    await this.exchangeOnce(ch, name, 'topic');
  }

  /** Declares a shared queue and binds its routing keys; returns its AMQP name. */
  async declareShared(ch: Channel, spec: SharedQueueSpec): Promise<string> {
    const args: Record<string, unknown> = {};
    if (!spec.exactName) {
      if (this.queueExpiryMs !== undefined) args['x-expires'] = this.queueExpiryMs;
      if (spec.maxLength !== undefined) {
        args['x-max-length'] = spec.maxLength;
        args['x-overflow'] = 'drop-head';
      }
    }
    const name = spec.exactName ? spec.name : this.queueName(spec.name);
    await ch.assertQueue(name, { durable: true, autoDelete: false, arguments: args });
    for (const exchange of spec.exchanges ?? [this.exchange]) {
      await this.declareExchange(ch, exchange);
      for (const key of spec.routingKeys) await ch.bindQueue(name, exchange, key);
    }
    return name;
  }

  /** Declares any queue a subscription consumes; `ownerId` names its private fanout queue. */
  async declare(ch: Channel, spec: QueueSpec, ownerId: string): Promise<string> {
    switch (spec.kind) {
      case 'shared':
        return this.declareShared(ch, spec);
      case 'fanout': {
        const exchange = this.fanoutExchange(spec.topic);
        await this.exchangeOnce(ch, exchange, 'fanout');
        const name = `${exchange}.${ownerId}`;
        await ch.assertQueue(name, { exclusive: true, autoDelete: true, durable: false });
        await ch.bindQueue(name, exchange, '');
        return name;
      }
      case 'private': {
        const name = this.queueName(spec.name);
        await ch.assertQueue(name, { exclusive: true, autoDelete: true, durable: false });
        return name;
      }
    }
  }

  private async exchangeOnce(ch: Channel, name: string, type: 'topic' | 'fanout'): Promise<void> {
    let done = this.exchangesDeclared.get(ch);
    if (done?.has(name)) return;
    await ch.assertExchange(name, type, { durable: true });
    if (!done) {
      done = new Set();
      this.exchangesDeclared.set(ch, done);
    }
    done.add(name);
  }
}
