import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { type BusOptions, createBus } from './create-bus';
import type { MessageBus } from './message-bus';
import type { Notification } from './notifier';
import { deleteBusObjects, rabbitmqctl, TEST_AMQP_URL } from './testing/rabbitmq';
import { collectingLogger, waitFor } from './testing/wait-for';

// Bad input on the wire and the channel layout at scale, over the real broker.
const exchange = `nimbus-test-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
const base: BusOptions = { exchange, queueExpirySeconds: 60, connectTimeoutSeconds: 3 };
const ctx = { requestId: 'req-robust' };

async function openBus(options: BusOptions = {}): Promise<MessageBus> {
  try {
    return await createBus(TEST_AMQP_URL, { ...base, ...options });
  } catch (err) {
    throw new Error(
      `RabbitMQ is not reachable at ${TEST_AMQP_URL}: ${(err as Error).message}. Run \`bash scripts/ensure-rabbitmq.sh\`.`,
    );
  }
}

/** Publishes raw bytes to a queue (default exchange), as a broken or hostile peer would. */
async function publishRaw(queue: string, bodies: (string | Buffer)[]): Promise<void> {
  const connection = await connect(TEST_AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    for (const body of bodies) channel.sendToQueue(queue, Buffer.isBuffer(body) ? body : Buffer.from(body));
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

const garbage = [
  'not json at all {',
  Buffer.from([0xff, 0xfe, 0x00, 0x01]),
  '[1, 2, 3]',
  'null',
  '"a string"',
  '{"no": "method"}',
  '{"method": 42, "args": "nope"}',
  '{"method": "nope", "args": [], "context": "x", "version": "banana"}',
  '{"oslo.version": "2.0", "oslo.message": "{broken"}',
  '{"oslo.version": "9.9", "oslo.message": "{}"}',
  '{"oslo.version": "2.0", "oslo.message": "{\\"payload\\": 1}"}',
];

describe('over RabbitMQ: bad input and layout at scale', () => {
  const opened: MessageBus[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close()));
    await deleteBusObjects(TEST_AMQP_URL, exchange).catch(() => undefined);
  });

  it('garbage on RPC and notification queues is logged and acknowledged; good messages still arrive', async () => {
    const log = collectingLogger();
    const bus = await openBus({ logger: log });
    opened.push(bus);
    const topic = `robust${randomUUID().slice(0, 6)}`;
    const notifications = `ntf${randomUUID().slice(0, 6)}`;
    const casts: unknown[] = [];
    const notes: Notification[] = [];
    await bus.rpcServer(
      { topic, server: 's1' },
      { record: (_c, a) => void casts.push(a) },
      { concurrency: 1 },
    );
    await bus.notificationListener({ topics: [notifications], priorities: ['info'] }, (_c, n) => {
      notes.push(n);
    });
    await publishRaw(`${exchange}.${topic}`, garbage);
    await publishRaw(`${exchange}.${topic}.s1`, garbage);
    await publishRaw(`${notifications}.info`, garbage);
    await bus.rpcClient({ topic }).cast(ctx, 'record', { n: 1 });
    await bus.notifier('test.host', { topics: [notifications] }).info(ctx, 'good.event', { n: 2 });
    await waitFor(() => casts.length === 1 && notes.length === 1, 'the good cast and notification', 10_000);
    expect(casts).toEqual([{ n: 1 }]);
    expect(notes[0]).toMatchObject({ event_type: 'good.event', payload: { n: 2 } });
    // Nothing left behind: every bad message was acknowledged, none is redelivered.
    const depth = JSON.parse(
      await rabbitmqctl('-q', 'list_queues', 'name', 'messages', '--formatter', 'json'),
    ) as {
      name: string;
      messages: number;
    }[];
    const ours = depth.filter((q) =>
      [`${exchange}.${topic}`, `${exchange}.${topic}.s1`, `${notifications}.info`].includes(q.name),
    );
    expect(ours).toHaveLength(3);
    for (const q of ours) expect(q.messages, q.name).toBe(0);
    const warnings = log.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
    expect(warnings).toContain('undecodable AMQP message dropped');
    expect(warnings).toContain('malformed notification dropped');
    expect(warnings).toContain('RPC request refused');
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
    await bus.rpcClient({ topic }).cast(ctx, 'record', { n: 3 });
    await waitFor(() => casts.length === 2, 'a later cast');
  }, 30_000);

  it('one process serving 1,000 per-host RPC servers holds a handful of channels', async () => {
    const connectionName = `nimbus-scale-${randomUUID().slice(0, 8)}`;
    const bus = await openBus({ logger: collectingLogger(), connectionName });
    opened.push(bus);
    const topic = `compute${randomUUID().slice(0, 6)}`;
    const started = performance.now();
    const servers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        bus.rpcServer({ topic, server: `host${i}` }, { where: () => `host${i}` }, { concurrency: 4 }),
      ),
    );
    console.log(`1,000 RPC servers started over AMQP in ${Math.round(performance.now() - started)} ms`);
    const caller = await openBus({ logger: collectingLogger() });
    opened.push(caller);
    const client = caller.rpcClient({ topic }, { timeoutSeconds: 10 });
    expect(await client.prepare({ server: 'host737' }).call(ctx, 'where')).toBe('host737');
    expect(await client.prepare({ server: 'host0' }).call(ctx, 'where')).toBe('host0');
    const connections = JSON.parse(
      await rabbitmqctl('-q', 'list_connections', 'channels', 'client_properties', '--formatter', 'json'),
    ) as { channels: number; client_properties: unknown }[];
    const mine = connections.find((c) => JSON.stringify(c.client_properties).includes(connectionName));
    expect(mine, 'the bus connection').toBeDefined();
    // 3,000 consumers on 4 channels (a server's 3 consumers share one, 1,000 at most each),
    // the publisher and up to 4 declaring channels; one channel per server would be 1,000+.
    expect(mine!.channels).toBeLessThanOrEqual(10);
    await Promise.all(servers.map((s) => s.stop()));
  }, 120_000);
});
