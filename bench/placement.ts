// Prints Placement's figures (medians of several runs) against one placement-api process on
// SQLite (noauth2, so the figures are Placement's own, not token validation's):
//   GET /allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:10&limit=1000, p50 and p95,
//     with 1,000 and 10,000 providers of a realistic population (every compute node VCPU /
//     MEMORY_MB / DISK_GB, 10 % with traits, 10 % nested with two NUMA children, 5 % taking their
//     disk from sharing storage providers through aggregates);
//   the same request's requests/s with one provider;
//   claims (PUT /allocations/{consumer}, 1 VCPU each, spread over the providers) per second.
//   npx tsx bench/placement.ts [--runs 3] [--seconds 5] [--sizes 1000,10000]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@nimbus/logging';
import { placementService } from '@nimbus/placement';
import { startCloud } from '@nimbus/service';
import autocannon from 'autocannon';
import { median, runAutocannon, startChild } from './support/load';

const arg = (name: string, dflt: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : dflt;
const runs = Number(arg('--runs', '3'));
const seconds = Number(arg('--seconds', '5'));
const sizes = arg('--sizes', '1000,10000').split(',').map(Number);
const CANDIDATES = '/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:10&limit=1000';
const headers = {
  'x-auth-token': 'admin',
  'openstack-api-version': 'placement 1.39',
  accept: 'application/json',
};

async function call(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `n` tasks with `width` in flight. */
async function inParallel(n: number, width: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/** Creates the population through the API; returns the compute nodes (roots) that have local disk. */
async function populate(base: string, n: number): Promise<string[]> {
  await call(base, 'PUT', '/traits/CUSTOM_BENCH_FAST');
  const sharingCount = Math.max(1, Math.round(n * 0.005));
  const aggregates: string[] = [];
  for (let s = 0; s < sharingCount; s++) {
    const uuid = randomUUID();
    const agg = randomUUID();
    aggregates.push(agg);
    await call(base, 'POST', '/resource_providers', { name: `shared-${s}`, uuid });
    await call(base, 'PUT', `/resource_providers/${uuid}/inventories`, {
      resource_provider_generation: 0,
      inventories: { DISK_GB: { total: 100_000 } },
    });
    await call(base, 'PUT', `/resource_providers/${uuid}/traits`, {
      resource_provider_generation: 1,
      traits: ['MISC_SHARES_VIA_AGGREGATE'],
    });
    await call(base, 'PUT', `/resource_providers/${uuid}/aggregates`, {
      resource_provider_generation: 2,
      aggregates: [agg],
    });
  }
  const roots: string[] = [];
  await inParallel(n, 8, async (i) => {
    const uuid = randomUUID();
    await call(base, 'POST', '/resource_providers', { name: `cn-${i}`, uuid });
    let gen = 0;
    const nested = i % 10 === 1;
    const shared = i % 20 === 2;
    if (!shared) roots.push(uuid);
    const inventories: Record<string, { total: number; allocation_ratio?: number }> = {};
    if (!nested) {
      inventories.VCPU = { total: 64, allocation_ratio: 4 };
      inventories.MEMORY_MB = { total: 262_144 };
    }
    if (!shared) inventories.DISK_GB = { total: 2_000 };
    if (Object.keys(inventories).length) {
      await call(base, 'PUT', `/resource_providers/${uuid}/inventories`, {
        resource_provider_generation: gen++,
        inventories,
      });
    }
    if (i % 10 === 0)
      await call(base, 'PUT', `/resource_providers/${uuid}/traits`, {
        resource_provider_generation: gen++,
        traits: ['CUSTOM_BENCH_FAST', 'HW_CPU_X86_AVX2'],
      });
    if (shared)
      await call(base, 'PUT', `/resource_providers/${uuid}/aggregates`, {
        resource_provider_generation: gen++,
        aggregates: [aggregates[i % aggregates.length]!],
      });
    if (nested) {
      for (const numa of [0, 1]) {
        const child = randomUUID();
        await call(base, 'POST', '/resource_providers', {
          name: `cn-${i}-numa${numa}`,
          uuid: child,
          parent_provider_uuid: uuid,
        });
        await call(base, 'PUT', `/resource_providers/${child}/inventories`, {
          resource_provider_generation: 0,
          inventories: { VCPU: { total: 32, allocation_ratio: 4 }, MEMORY_MB: { total: 131_072 } },
        });
      }
    }
  });
  return roots;
}

/** p50 and p95 of `count` sequential GETs, in ms. */
async function latencies(
  url: string,
  count: number,
): Promise<{ p50: number; p95: number; candidates: number }> {
  const times: number[] = [];
  let candidates = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const r = await fetch(url, { headers });
    const body = (await r.json()) as { allocation_requests: unknown[] };
    times.push(performance.now() - t);
    candidates = body.allocation_requests.length;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)]!, p95: times[Math.floor(count * 0.95)]!, candidates };
}

/** Claims per second over `secs`: each request a new consumer taking 1 VCPU from a random provider. */
async function claims(base: string, roots: string[], secs: number): Promise<{ rate: number; total: number }> {
  const result = await autocannon({
    url: base,
    duration: secs,
    connections: 16,
    requests: [
      {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        setupRequest: (req: Record<string, unknown>) => {
          const rp = roots[Math.floor(Math.random() * roots.length)]!;
          return {
            ...req,
            path: `/allocations/${randomUUID()}`,
            body: JSON.stringify({
              allocations: { [rp]: { resources: { DISK_GB: 1 } } },
              project_id: 'bench',
              user_id: 'bench',
              consumer_generation: null,
              consumer_type: 'INSTANCE',
            }),
          };
        },
      },
    ],
  });
  if (result.non2xx) console.log(`  (claims: ${result.non2xx} non-2xx answers)`);
  return { rate: result.requests.average, total: result.requests.total };
}

type Child = Awaited<ReturnType<typeof startChild>>;

/** Runs `work` and returns the server's CPU milliseconds per operation over it. */
async function cpuPerOp(child: Child, work: () => Promise<number>): Promise<number> {
  const before = await child.cpuMicros();
  const ops = await work();
  return ((await child.cpuMicros()) - before) / 1000 / Math.max(ops, 1);
}

async function withPlacement<T>(fn: (base: string, child: Child) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-placement-'));
  const child = await startChild(['bench/placement.ts', '--serve', dataDir]);
  try {
    return await fn(`http://127.0.0.1:${child.port}`, child);
  } finally {
    child.stop();
    await new Promise((r) => child.process.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  for (const n of sizes) {
    await withPlacement(async (base, child) => {
      const t = performance.now();
      const roots = await populate(base, n);
      console.log(`${n} compute nodes populated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await latencies(`${base}${CANDIDATES}`, 5);
      const p50s: number[] = [];
      const p95s: number[] = [];
      const cpus: number[] = [];
      let found = 0;
      for (let r = 0; r < runs; r++) {
        cpus.push(
          await cpuPerOp(child, async () => {
            const l = await latencies(`${base}${CANDIDATES}`, 40);
            p50s.push(l.p50);
            p95s.push(l.p95);
            found = l.candidates;
            return 40;
          }),
        );
      }
      console.log(
        `allocation candidates, ${n} providers (${found} returned): p50 ${median(p50s).toFixed(1)} ms, p95 ${median(p95s).toFixed(1)} ms; server CPU ${median(cpus).toFixed(2)} ms per request`,
      );
      const rates: number[] = [];
      const claimCpus: number[] = [];
      for (let r = 0; r < runs; r++)
        claimCpus.push(
          await cpuPerOp(child, async () => {
            const c = await claims(base, roots, seconds);
            rates.push(c.rate);
            return c.total;
          }),
        );
      console.log(
        `claims across ${n} providers: ${Math.round(median(rates))} /s; server CPU ${median(claimCpus).toFixed(3)} ms per claim`,
      );
    });
  }
  await withPlacement(async (base) => {
    await populate(base, 1);
    const rates: number[] = [];
    for (let r = 0; r < runs; r++)
      rates.push(
        (await runAutocannon({ url: `${base}${CANDIDATES}`, seconds, headers, connections: 16 })).rps,
      );
    console.log(`allocation candidates, one provider: ${Math.round(median(rates))} requests/s`);
  });
}

/** `--serve <data-dir>`: the placement-api child, on SQLite with noauth2; prints `listening <port>`. */
async function serve(dataDir: string) {
  const cloud = await startCloud({
    services: [placementService],
    ephemeralPorts: true,
    env: {},
    logger: silentLogger(),
    overrides: {
      DEFAULT: { data_dir: dataDir },
      database: { connection: `sqlite://${join(dataDir, 'placement.db')}` },
      api: { auth_strategy: 'noauth2' },
    },
  });
  process.stdout.write(`listening ${new URL(cloud.endpoints[0]!.url).port}\n`);
  process.on('SIGTERM', () => void cloud.stop().finally(() => process.exit(0)));
  // The parent asks for CPU time around each run: CPU per request is robust on a busy machine.
  process.on('SIGUSR2', () => {
    const u = process.cpuUsage();
    process.stdout.write(`cpu ${u.user + u.system}\n`);
  });
}

if (process.argv.includes('--serve')) await serve(arg('--serve', ''));
else await main();
