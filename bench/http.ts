// Prints requests/s and median latency of a minimal authenticated-shaped route through the whole
// Nimbus HTTP stack, next to fastify's bare hello world, and the ratio (target ≥ 70 %).
//   npx tsx bench/http.ts [--seconds 5] [--runs 3]
import { median, runAutocannon, startChild } from './support/load';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

async function measure(mode: 'bare' | 'nimbus') {
  const child = await startChild(['bench/http-server.ts', mode]);
  try {
    const results = [];
    await runAutocannon({ url: `http://127.0.0.1:${child.port}/v3/widgets/w1`, seconds: 1, headers: { 'x-auth-token': 'bench-token' } });
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = await child.cpuMicros();
      const r = await runAutocannon({ url: `http://127.0.0.1:${child.port}/v3/widgets/w1`, seconds, headers: { 'x-auth-token': 'bench-token' } });
      cpu.push(((await child.cpuMicros()) - before) / r.total);
      results.push(r);
    }
    if (results.some((r) => r.non2xx > 0)) throw new Error(`${mode}: non-2xx answers during the run`);
    return { rps: median(results.map((r) => r.rps)), p50: median(results.map((r) => r.p50)), cpuPerRequest: median(cpu) };
  } finally {
    child.stop();
  }
}

const bare = await measure('bare');
const nimbus = await measure('nimbus');
const line = (name: string, r: typeof bare) =>
  `${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, ${r.cpuPerRequest.toFixed(1)} µs of server CPU per request`;
console.log(line('fastify hello world', bare));
console.log(line('nimbus full stack  ', nimbus));
console.log(`throughput ratio   : ${((nimbus.rps / bare.rps) * 100).toFixed(1)} % (target >= 70 %), median of ${runs} runs of ${seconds} s`);
console.log(`CPU-cost ratio     : ${((bare.cpuPerRequest / nimbus.cpuPerRequest) * 100).toFixed(1)} % (the same figure, robust to a busy machine)`);
