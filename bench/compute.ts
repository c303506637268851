// Compute figures, medians of runs, all-in-one in this process with the fake driver (no delays):
// - cloud start with `--hosts` simulated hosts (default 1,000), until every host is a placement
//   resource provider; CPU (% of one core) and RSS of the idle cloud over 10 s;
// - boot → ACTIVE latency of one server at a time;
// - boots/s: `--servers` (default 200) created 50 at a time, until all are ACTIVE;
// - `GET /servers/detail?limit=50` requests/s with those servers present (32 connections);
// - deletes/s: the same servers deleted 50 at a time, until all are gone.
//   npx tsx bench/compute.ts [--runs 3] [--hosts 1000] [--servers 200]

import { setTimeout as sleep } from 'node:timers/promises';
import { computeCloud } from '../test/compute/compute-cloud';
import { median, runAutocannon } from './support/load';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs')) || 3;
const hostCount = Number(arg('--hosts')) || 1000;
const serverCount = Number(arg('--servers')) || 200;
const PARALLEL = 50;

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const t0 = performance.now();
const rssBefore = process.memoryUsage().rss;
const env = await computeCloud({ fake: { host_count: hostCount } });
const startMs = performance.now() - t0;
const providers = await env.placement('GET', '/resource_providers');
if (providers.body.resource_providers.length !== hostCount)
  throw new Error(`expected ${hostCount} providers, got ${providers.body.resource_providers.length}`);
console.log(
  `cloud start with ${hostCount} simulated hosts (identity, image, placement, network, compute; first resource report included): ${Math.round(startMs)} ms`,
);

await sleep(2000);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
await sleep(10_000);
const cpu = process.cpuUsage(cpu0);
const idlePct = ((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100;
console.log(
  `idle cloud with ${hostCount} hosts: ${idlePct.toFixed(2)} % of one core, RSS ${mb(process.memoryUsage().rss)} MB (${mb(process.memoryUsage().rss - rssBefore)} MB over the bench process before start)`,
);

const body = (name: string) => ({
  server: { name, flavorRef: env.flavorId, imageRef: env.imageId, networks: [{ uuid: env.networkId }] },
});
await env.compute('PUT', `/os-quota-sets/${env.projectId}`, {
  quota_set: { instances: -1, cores: -1, ram: -1 },
});

async function waitAll(ids: string[], done: (status: string | undefined) => boolean): Promise<void> {
  const pending = new Set(ids);
  while (pending.size) {
    for (const id of [...pending]) {
      const r = await env.compute('GET', `/servers/${id}`);
      const status = r.status === 404 ? undefined : r.body.server.status;
      if (status === 'ERROR')
        throw new Error(`server ${id} went to ERROR: ${JSON.stringify(r.body.server.fault)}`);
      if (done(status)) pending.delete(id);
    }
    if (pending.size) await sleep(20);
  }
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const latencies: number[] = [];
const bootRates: number[] = [];
const detailRates: number[] = [];
const deleteRates: number[] = [];
for (let run = 0; run < runs; run++) {
  const one: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const r = await env.compute('POST', '/servers', body(`lat-${run}-${i}`));
    const id = r.body.server.id as string;
    for (;;) {
      const s = await env.compute('GET', `/servers/${id}`);
      if (s.body.server.status === 'ACTIVE') break;
      if (s.body.server.status === 'ERROR') throw new Error(JSON.stringify(s.body.server.fault));
      await sleep(1);
    }
    one.push(performance.now() - started);
    await env.compute('DELETE', `/servers/${id}`);
  }
  latencies.push(median(one));

  const ids: string[] = [];
  const bootStart = performance.now();
  await inBatches(
    Array.from({ length: serverCount }, (_, i) => i),
    async (i) => {
      const r = await env.compute('POST', '/servers', body(`bench-${run}-${i}`));
      if (r.status !== 202) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
      ids.push(r.body.server.id);
    },
  );
  await waitAll(ids, (s) => s === 'ACTIVE');
  bootRates.push(serverCount / ((performance.now() - bootStart) / 1000));

  const detail = await runAutocannon({
    url: `${env.cloud.url('compute')}/v2.1/servers/detail?limit=50`,
    seconds: 5,
    connections: 32,
    headers: { 'x-auth-token': env.token },
  });
  if (detail.non2xx) throw new Error(`servers/detail: ${detail.non2xx} failed requests`);
  detailRates.push(detail.rps);

  const delStart = performance.now();
  await inBatches(ids, async (id) => {
    const r = await env.compute('DELETE', `/servers/${id}`);
    if (r.status !== 204) throw new Error(`delete: ${r.status}`);
  });
  await waitAll(ids, (s) => s === undefined);
  deleteRates.push(serverCount / ((performance.now() - delStart) / 1000));
  console.log(
    `run ${run + 1}: boot→ACTIVE ${latencies[run]!.toFixed(1)} ms, ${bootRates[run]!.toFixed(1)} boots/s, servers/detail ${detailRates[run]!.toFixed(0)} req/s, ${deleteRates[run]!.toFixed(1)} deletes/s`,
  );
}

console.log(`boot → ACTIVE (one at a time), median: ${median(latencies).toFixed(1)} ms`);
console.log(
  `boots/s (${serverCount} servers, ${PARALLEL} at a time, over ${hostCount} hosts), median: ${median(bootRates).toFixed(1)}`,
);
console.log(
  `GET /servers/detail?limit=50 with ${serverCount} servers, median: ${median(detailRates).toFixed(0)} requests/s`,
);
console.log(
  `deletes/s (${serverCount} servers, ${PARALLEL} at a time), median: ${median(deleteRates).toFixed(1)}`,
);
const leftovers = await env.placement('GET', '/usages?project_id=' + env.projectId, undefined, {
  'openstack-api-version': 'placement 1.9',
});
console.log(
  `placement usages left for the project after the deletes: ${JSON.stringify(leftovers.body.usages)}`,
);
await env.cloud.stop();
process.exit(0);
