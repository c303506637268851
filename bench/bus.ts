// Prints RPC call round-trips per second through the message bus: in process and over the local
// RabbitMQ (client and server on separate connections), one call at a time (latency-bound) and
// with 32 calls in flight, the median round trip of one typed call (schema-validated on the
// server), plus casts per second (sent by 32 loops, each awaiting the transport's acceptance:
// the broker's confirm over AMQP; counted once the server ran them). Then 1,000 per-host RPC
// servers (topic compute, host0..host999) in one process: RSS added and CPU used while idle.
// Median of runs.
//   npx tsx bench/bus.ts [--seconds 1] [--runs 5] [--only memory|amqp] [--idle-seconds 10] [--amqp-url amqp://guest:guest@127.0.0.1:5672]

import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BusOptions,
  createBus,
  defineRpcInterface,
  type MessageBus,
  serveRpcInterface,
  silentBusLogger,
  Type,
  typedRpcClient,
} from '@nimbus/bus';
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

const benchRpc = defineRpcInterface({
  topic: 'bench-typed',
  version: '1.0',
  methods: {
    echo: {
      args: Type.Object({
        instanceId: Type.String(),
        flavor: Type.Object({ ramMb: Type.Integer(), vcpus: Type.Integer() }),
      }),
      result: Type.Unknown(),
      since: '1.0',
      mode: 'call',
    },
  },
});

/** Median round trip of `work`, one at a time, in microseconds. */
async function latencyMicros(work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const t = performance.now();
    await work();
    samples.push((performance.now() - t) * 1000);
  }
  return median(samples);
}

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
    await serveRpcInterface(server, benchRpc, { server: 's1' }, { echo: (_c, a) => a });
    const typed = typedRpcClient(client, benchRpc);
    await rate(1, () => rpc.call(ctx, 'echo', args)); // warm-up: JIT, reply queue, connections
    await rate(1, () => typed.call.echo(ctx, args));
    const latencies: number[] = [];
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
      latencies.push(await latencyMicros(() => typed.call.echo(ctx, args)));
      sequential.push(await rate(1, () => rpc.call(ctx, 'echo', args)));
      parallel.push(await rate(32, () => rpc.call(ctx, 'echo', args)));
      castRates.push(await castRate());
    }
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
    return [
      `${name} typed call round trip, p50 (µs)  : ${fmt(median(latencies))}`,
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
  for (const q of ['bench', 'bench.s1', 'bench-typed', 'bench-typed.s1'])
    await channel.deleteQueue(`${exchange}.${q}`);
  for (const e of [`${exchange}.bench_fanout`, `${exchange}.bench-typed_fanout`, exchange])
    await channel.deleteExchange(e);
  await connection.close();
}
/** 1,000 per-host servers on one bus: RSS added, and CPU while idle (share of one core). */
async function perHostServers(name: string, open: () => Promise<MessageBus>): Promise<string[]> {
  const idleSeconds = Number(arg('--idle-seconds')) || 10;
  const bus = await open();
  try {
    global.gc?.();
    await sleep(200);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          bus.rpcServer({ topic: 'compute', server: `host${i + j}` }, { ping: () => 'pong' }),
        ),
      );
    }
    const startMs = performance.now() - started;
    await sleep(1000);
    global.gc?.();
    const rssAfter = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    await sleep(idleSeconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const share = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
    return [
      `${name} 1,000 per-host servers: started in ${Math.round(startMs)} ms, RSS +${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MB, idle CPU ${(share * 100).toFixed(2)} % of a core over ${idleSeconds} s`,
    ];
  } finally {
    await bus.close();
  }
}

if (only !== 'amqp') {
  lines.push(
    ...(await perHostServers('in-process', () => createBus(`memory://hosts-${process.pid}`, quiet))),
  );
}
if (only !== 'memory') {
  const hostsExchange = `${exchange}-hosts`;
  lines.push(
    ...(await perHostServers('AMQP      ', () =>
      createBus(amqpUrl, { ...quiet, exchange: hostsExchange, queueExpirySeconds: 60 }),
    )),
  );
  const connection = await connect(amqpUrl);
  const channel = await connection.createChannel();
  await channel.deleteQueue(`${hostsExchange}.compute`);
  for (let i = 0; i < 1000; i++) await channel.deleteQueue(`${hostsExchange}.compute.host${i}`);
  for (const e of [`${hostsExchange}.compute_fanout`, hostsExchange]) await channel.deleteExchange(e);
  await connection.close();
}
for (const line of lines) console.log(line);
console.log(
  `median of ${runs} runs of ${seconds} s; client and server on separate buses (separate AMQP connections)`,
);
