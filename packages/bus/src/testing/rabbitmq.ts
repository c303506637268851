import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';

const run = promisify(execFile);

/** The broker the AMQP tests use: `NIMBUS_TEST_AMQP_URL`, else the local RabbitMQ. */
export const TEST_AMQP_URL = process.env.NIMBUS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Runs `rabbitmqctl` on the local node and returns its output. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 60_000 });
  return stdout;
}

/**
 * Deletes every exchange and queue of a bus (`exchange`, the names it prefixes, and the queues
 * bound to it), so test runs
 * leave nothing on a shared broker. Durable exchanges would otherwise stay for good.
 */
export async function deleteBusObjects(url: string, exchange: string): Promise<void> {
  const names = async (what: 'list_exchanges' | 'list_queues') =>
    (JSON.parse(await rabbitmqctl('-q', what, 'name', '--formatter', 'json')) as { name: string }[])
      .map((x) => x.name)
      .filter((n) => n === exchange || n.startsWith(`${exchange}.`));
  // Notification queues carry oslo's names (`<topic>.<priority>`, a pool's name): find them by
  // their bindings to the bus's exchange.
  const bound = async () =>
    (
      JSON.parse(
        await rabbitmqctl(
          '-q',
          'list_bindings',
          'source_name',
          'destination_name',
          'destination_kind',
          '--formatter',
          'json',
        ),
      ) as { source_name: string; destination_name: string; destination_kind: string }[]
    )
      .filter((b) => b.source_name === exchange && b.destination_kind === 'queue')
      .map((b) => b.destination_name);
  const [exchanges, prefixed, notificationQueues] = await Promise.all([
    names('list_exchanges'),
    names('list_queues'),
    bound(),
  ]);
  const queues = [...new Set([...prefixed, ...notificationQueues])];
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    for (const q of queues) await channel.deleteQueue(q);
    for (const e of exchanges) await channel.deleteExchange(e);
  } finally {
    await connection.close();
  }
}
