import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createBus, type MessageBus, silentBusLogger } from '@nimbus/bus';
import { connect } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';

// Nimbus publishes notifications; a real oslo.messaging notification listener (Python, Debian's
// python3-oslo.messaging, as Ceilometer uses it) receives them from the service's control
// exchange. This proves the layout (exchange, routing key, queue) and both message formats.
const AMQP_URL = process.env.NIMBUS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const script = fileURLToPath(new URL('./oslo-notification-listener.py', import.meta.url));
const run = randomUUID().slice(0, 8);
const exchange = `glance-test-${run}`;
const topic = `notifications-test-${run}`;
const priorities = ['audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample'];

interface Received {
  priority: string;
  publisher_id: string;
  event_type: string;
  payload: unknown;
  metadata: { message_id: string; timestamp: string };
  ctxt: Record<string, unknown>;
}

/** Starts the Python listener; resolves once it consumes, with the lines it prints. */
async function startOsloListener(
  count: number,
): Promise<{ child: ChildProcessWithoutNullStreams; lines: string[]; exited: Promise<number> }> {
  const child = spawn(
    '/usr/bin/python3',
    [script, AMQP_URL.replace(/^amqp:/, 'rabbit:'), exchange, topic, String(count), '20'],
    {
      stdio: 'pipe',
    },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        if (line === 'READY') resolve();
        else if (line.trim() !== '') lines.push(line);
      }
    });
    void exited.then((code) =>
      reject(new Error(`oslo listener exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  return { child, lines, exited };
}

describe('notifications reach a Python oslo.messaging notification listener', () => {
  let bus: MessageBus | undefined;

  afterAll(async () => {
    await bus?.close();
    const connection = await connect(AMQP_URL);
    const channel = await connection.createChannel();
    for (const p of priorities) await channel.deleteQueue(`${topic}.${p}`);
    await channel.deleteExchange(exchange);
    await connection.close();
  });

  it('on the control exchange, routing key <topic>.<priority>, in both oslo formats, unchanged', async () => {
    bus = await createBus(AMQP_URL, {
      logger: silentBusLogger,
      exchange: `nimbus-test-${run}`,
      queueExpirySeconds: 60,
    });
    const listener = await startOsloListener(2);
    const ctx = {
      requestId: 'req-0b1c',
      userId: 'u1',
      projectId: 'p1',
      roles: ['admin'],
      authToken: 'secret-token',
    };
    const v2 = bus.notifier('image.localhost', { exchange, topics: [topic], drivers: ['messagingv2'] });
    const v1 = bus.notifier('image.localhost', { exchange, topics: [topic], drivers: ['messaging'] });
    const payload = {
      id: 'a1b2',
      name: 'cirros',
      size: 12_345,
      tags: ['x'],
      nested: { ok: true, none: null },
    };
    await v2.info(ctx, 'image.upload', payload);
    await v1.error(ctx, 'image.delete.error', { id: 'a1b2', reason: 'in use' });
    const code = await listener.exited;
    expect(code, listener.lines.join('\n')).toBe(0);
    const got = listener.lines.map((l) => JSON.parse(l) as Received);
    const byType = Object.fromEntries(got.map((g) => [g.event_type, g]));
    expect(byType['image.upload']).toMatchObject({
      priority: 'INFO',
      publisher_id: 'image.localhost',
      event_type: 'image.upload',
      payload,
    });
    expect(byType['image.upload']!.metadata.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(byType['image.upload']!.metadata.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(byType['image.upload']!.ctxt).toMatchObject({
      request_id: 'req-0b1c',
      user_id: 'u1',
      project_id: 'p1',
      roles: ['admin'],
    });
    // oslo's notifier never sends the token: neither does ours.
    expect(JSON.stringify(byType['image.upload']!.ctxt)).not.toContain('secret-token');
    expect(byType['image.delete.error']).toMatchObject({
      priority: 'ERROR',
      publisher_id: 'image.localhost',
      payload: { id: 'a1b2', reason: 'in use' },
    });
  }, 40_000);
});
