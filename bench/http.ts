// Prints requests/s and median latency of a minimal authenticated-shaped route through the whole
// Nimbus HTTP stack, next to fastify's bare hello world, and their ratio (target ≥ 70 %). The two
// servers run side by side and are measured in alternation, so a busy machine skews both alike;
// the ratio is the median of the per-pair ratios.
//   npx tsx bench/http.ts [--seconds 3] [--runs 5]
import { median, runAutocannon, startChild } from './support/load';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const headers = { 'x-auth-token': 'bench-token' };

const servers = {
  bare: await startChild(['bench/http-server.ts', 'bare']),
  nimbus: await startChild(['bench/http-server.ts', 'nimbus']),
};
type Sample = { rps: number; p50: number; cpu: number };
const samples: Record<keyof typeof servers, Sample[]> = { bare: [], nimbus: [] };
try {
  for (const s of Object.values(servers))
    await runAutocannon({ url: `http://127.0.0.1:${s.port}/v3/widgets/w1`, seconds: 1, headers });
  for (let i = 0; i < runs; i++) {
    for (const name of ['bare', 'nimbus'] as const) {
      const child = servers[name];
      const before = await child.cpuMicros();
      const r = await runAutocannon({
        url: `http://127.0.0.1:${child.port}/v3/widgets/w1`,
        seconds,
        headers,
      });
      if (r.non2xx > 0) throw new Error(`${name}: non-2xx answers during the run`);
      samples[name].push({ rps: r.rps, p50: r.p50, cpu: ((await child.cpuMicros()) - before) / r.total });
    }
  }
} finally {
  for (const s of Object.values(servers)) s.stop();
}

const line = (name: string, xs: Sample[]) =>
  `${name}: ${median(xs.map((x) => x.rps)).toFixed(0)} req/s, p50 ${median(xs.map((x) => x.p50))} ms, ${median(xs.map((x) => x.cpu)).toFixed(1)} µs of server CPU per request`;
console.log(line('fastify hello world', samples.bare));
console.log(line('nimbus full stack  ', samples.nimbus));
const ratios = samples.nimbus.map((n, i) => n.rps / samples.bare[i]!.rps);
const cpuRatios = samples.nimbus.map((n, i) => samples.bare[i]!.cpu / n.cpu);
console.log(
  `throughput ratio   : ${(median(ratios) * 100).toFixed(1)} % (target >= 70 %), median of ${runs} alternating pairs of ${seconds} s runs`,
);
console.log(
  `CPU-cost ratio     : ${(median(cpuRatios) * 100).toFixed(1)} % (bare CPU per request / nimbus CPU per request)`,
);
