// Prints RPC call round-trips per second through the message bus: in process and over the local
// RabbitMQ (client and server on separate connections), one call at a time (latency-bound) and
// with 32 calls in flight, plus casts per second (sent by 32 loops, each awaiting the transport's
// acceptance: the broker's confirm over AMQP; counted once the server ran them). Median of runs.
//   npx tsx bench/bus.ts [--seconds 1] [--runs 5] [--only memory|amqp] [--amqp-url amqp://guest:guest@127.0.0.1:5672]

import { setTimeout as sleep } from 'node:timers/promises';
import { type BusOptions, createBus, type MessageBus, silentBusLogger } from '@nimbus/bus';
import { connect } from 'amqplib';
import { median } from './support/load';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('--seconds')) || 1;
const runs = Number(arg('--runs')) || 5;
const amqpUrl = arg('--amqp-url') ?? process.env.NIMBUS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const ctx = { requestId: 'req-bench', userId: 'u', projectId: 'p', roles: ['member'] };
const args = { instanceId: '6f1c2a0e-3c55-4a8e-9d0b-1f2e3d4c5b6a', flavor: { ramMb: 2048, vcpus: 2 } };

/** Runs `work` repeatedly with `inFlight` loops for `seconds`; returns completions per second. */
async function rate(inFlight: number, work: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        await work();
        done++;
      }
    }),
  );
  return done / seconds;
}

async function measure(name: string, open: () => Promise<MessageBus>): Promise<string[]> {
  const server = await open();
  const client = await open();
  try {
    let casts = 0;
    await server.rpcServer(
      { topic: 'bench', server: 's1' },
      { echo: async (_c, a) => a, count: () => void casts++ },
    );
    const rpc = client.rpcClient({ topic: 'bench' });
    await rate(1, () => rpc.call(ctx, 'echo', args)); // warm-up: JIT, reply queue, connections
    const sequential: number[] = [];
    const parallel: number[] = [];
    const castRates: number[] = [];
    // Casts count once the server has run them all, not when the sender got them off its hands.
    const castRate = async () => {
      const started = performance.now();
      const before = casts;
      const sent = (await rate(32, () => rpc.cast(ctx, 'count', args))) * seconds;
      while (casts - before < sent) await sleep(1);
      return sent / ((performance.now() - started) / 1000);
    };
    for (let i = 0; i < runs; i++) {
      sequential.push(await rate(1, () => rpc.call(ctx, 'echo', args)));
      parallel.push(await rate(32, () => rpc.call(ctx, 'echo', args)));
      castRates.push(await castRate());
    }
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
    return [
      `${name} call round-trips/s, 1 in flight : ${fmt(median(sequential))}`,
      `${name} call round-trips/s, 32 in flight: ${fmt(median(parallel))}`,
      `${name} casts run/s, 32 senders          : ${fmt(median(castRates))}`,
    ];
  } finally {
    await client.close();
    await server.close();
  }
}

const quiet: BusOptions = { logger: silentBusLogger };
const exchange = `nimbus-bench-${Date.now().toString(36)}`;
const only = arg('--only');
const lines = [
  ...(only === 'amqp'
    ? []
    : await measure('in-process', () => createBus(`memory://bench-${process.pid}`, quiet))),
  ...(only === 'memory'
    ? []
    : await measure('AMQP      ', () => createBus(amqpUrl, { ...quiet, exchange, queueExpirySeconds: 60 }))),
];
if (only !== 'memory') {
  // Leave nothing on the broker: the bench's exchanges are durable.
  const connection = await connect(amqpUrl);
  const channel = await connection.createChannel();
  for (const q of ['bench', 'bench.s1']) await channel.deleteQueue(`${exchange}.${q}`);
  for (const e of [`${exchange}.bench_fanout`, exchange]) await channel.deleteExchange(e);
  await connection.close();
}
for (const line of lines) console.log(line);
console.log(
  `median of ${runs} runs of ${seconds} s; client and server on separate buses (separate AMQP connections)`,
);
