import { setTimeout as sleep } from 'node:timers/promises';
import type { Route } from '@nimbus/http';
import fc from 'fast-check';
import type { CloudExit, FuzzCloud } from './fuzz-cloud';
import type { FailureKind, FuzzCrash, FuzzFailure, FuzzReport } from './fuzz-report';
import type { FuzzOutcome, FuzzRequest, FuzzService } from './fuzz-request';
import type { FuzzSession } from './fuzz-session';
import type { FuzzTargets } from './fuzz-targets';
import { HttpSender } from './http-sender';
import { rawArbitrary } from './raw-generators';
import { serviceArbitraries } from './route-generators';
import { swiftArbitrary } from './swift-generators';

/** How long and how hard to fuzz. */
export interface FuzzOptions {
  seed: number;
  /** Stop after this many requests... */
  requests: number;
  /** ...or after this many seconds, whichever comes first. */
  seconds: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Restarts allowed after crashes before the run gives up. */
  maxRestarts: number;
  /** Called about every 10 s with the running figures. */
  progress?: (requests: number, seconds: number) => void;
}

/** The declared routes of each service with JSON routes. */
export type RouteTables = Partial<Record<FuzzService, readonly Route[]>>;

/** The one request generator of a run: every route of every service, weighted by service. */
export function requestArbitrary(tables: RouteTables, targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const weighted: fc.WeightedArbitrary<FuzzRequest>[] = [];
  const weights: Record<FuzzService, number> = {
    identity: 400,
    image: 250,
    'object-store': 330,
    placement: 150,
    network: 150,
  };
  for (const [service, routes] of Object.entries(tables) as [FuzzService, Route[]][]) {
    if (service === 'object-store' || !routes.length) continue;
    weighted.push({
      arbitrary: fc.oneof(...serviceArbitraries(service, routes, targets)),
      weight: weights[service],
    });
  }
  weighted.push({ arbitrary: swiftArbitrary(targets), weight: weights['object-store'] });
  const rawPaths: Record<FuzzService, string[]> = {
    identity: ['/v3/users', '/v3/auth/tokens', '/v3/projects/x'],
    image: ['/v2/images', '/v2/images/x/file', '/v2/metadefs/namespaces'],
    'object-store': [`${targets.accountPath}/fz0/o`, `${targets.accountPath}/fz0`, '/info'],
    placement: ['/', '/resource_providers', '/allocations/x', '/reshaper'],
    network: ['/', '/v2.0/networks', '/v2.0/ports/x', '/v2.0/quotas/x'],
  };
  // A service left out of this run (no route table) gets no raw requests either.
  for (const service of Object.keys(rawPaths) as FuzzService[]) {
    if (service !== 'object-store' && !tables[service]?.length) continue;
    weighted.push({ arbitrary: rawArbitrary(service, rawPaths[service]), weight: 7 });
  }
  return fc.oneof(...weighted);
}

/** Status codes that are answers rather than faults: 501 (not implemented), 505 (HTTP version) for raw heads. */
function allowedServerError(req: FuzzRequest, status: number): boolean {
  return status === 501 || (status === 505 && !!req.raw);
}

/**
 * Sends generated requests at the cloud with `concurrency` in flight, over keep-alive sockets,
 * until the request count or the time budget is reached. Every answer is classified; a 5xx
 * (other than 501), a hang and a dropped connection are failures, and a death of the process is
 * a crash: its in-flight requests are replayed one by one on the restarted cloud to name the one
 * that kills it. Deterministic for a seed, up to the interleaving of answers.
 */
export async function runFuzz(
  cloud: FuzzCloud,
  session: FuzzSession,
  arb: fc.Arbitrary<FuzzRequest>,
  o: FuzzOptions,
): Promise<FuzzReport> {
  const sender = new HttpSender(o.concurrency);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const report: FuzzReport = {
    seed: o.seed,
    requests: 0,
    seconds: 0,
    perService: {},
    outcomes: {},
    notImplemented: 0,
    routes: 0,
    slowestMs: 0,
    slowRoutes: [],
    failures: [],
    crashes: [],
    tokensReissued: 0,
    cpu: { fuzzer: 0, cloud: 0 },
  };
  const cpuAtStart = { fuzzer: process.cpuUsage(), cloud: cloud.cpuSeconds() };
  const failures = new Map<string, FuzzFailure>();
  const routes = new Map<string, { ms: number; n: number }>();
  const inflight = new Set<FuzzRequest>();
  let generation = 0;
  let stopping = false;
  let ready: Promise<void> = Promise.resolve();
  let restarts = 0;
  let replaying = false;

  // Generation: fast-check samples in batches, each batch seeded from the run's seed.
  let batch: FuzzRequest[] = [];
  let batchNo = 0;
  let issued = 0;
  const next = (): FuzzRequest | undefined => {
    if (stopping || issued >= o.requests || elapsed() >= o.seconds) return undefined;
    if (!batch.length)
      batch = fc.sample(arb, { seed: (o.seed + batchNo++ * 7_919) | 0, numRuns: 500 }).reverse();
    issued++;
    return batch.pop();
  };

  const onCrash = (exit: CloudExit) => {
    generation++;
    const crash: FuzzCrash = { exit, suspects: [...inflight] };
    report.crashes.push(crash);
    if (restarts >= o.maxRestarts) {
      stopping = true;
      return;
    }
    restarts++;
    ready = (async () => {
      await cloud.restart();
      await session.check();
      crash.culprit = await replay(crash.suspects);
      if (!cloud.alive) {
        await cloud.restart();
        await session.check();
      }
    })().catch(() => {
      stopping = true;
    });
  };
  // Sends each suspect alone; the first after which the process is gone is the culprit.
  const replay = async (suspects: FuzzRequest[]): Promise<FuzzRequest | undefined> => {
    replaying = true;
    try {
      for (const s of suspects) {
        await sender.send(cloud.url(s.service), session.substitute(s));
        await sleep(300);
        if (!cloud.alive) return s;
      }
      return undefined;
    } finally {
      replaying = false;
    }
  };
  cloud.onExit = (exit) => {
    if (replaying) generation++;
    else onCrash(exit);
  };

  const record = (req: FuzzRequest, out: FuzzOutcome) => {
    report.requests++;
    const r = routes.get(req.route) ?? { ms: 0, n: 0 };
    r.ms += out.ms;
    r.n++;
    routes.set(req.route, r);
    report.perService[req.service] = (report.perService[req.service] ?? 0) + 1;
    report.slowestMs = Math.max(report.slowestMs, out.ms);
    const cls = out.kind === 'status' ? `${Math.floor(out.status / 100)}xx` : out.kind;
    report.outcomes[cls] = (report.outcomes[cls] ?? 0) + 1;
    let kind: FailureKind | undefined;
    if (out.kind === 'hang') kind = 'hang';
    else if (out.kind === 'dropped') kind = 'dropped';
    else if (out.status >= 500) {
      if (allowedServerError(req, out.status)) report.notImplemented += out.status === 501 ? 1 : 0;
      else kind = 'server-error';
    }
    if (!kind) return;
    const key = `${kind} ${req.route} ${out.kind === 'status' ? out.status : ''}`.trim();
    const f = failures.get(key);
    if (f) f.count++;
    else failures.set(key, { kind, key, example: req, outcome: out, count: 1 });
  };

  const worker = async () => {
    for (;;) {
      await ready;
      const req = next();
      if (!req) return;
      const gen = generation;
      inflight.add(req);
      let out: FuzzOutcome;
      try {
        out = await sender.send(cloud.url(req.service), session.substitute(req));
      } finally {
        inflight.delete(req);
      }
      // A drop may be the process dying: give its exit a moment to be seen.
      if (out.kind === 'dropped') await sleep(300);
      if (gen !== generation || !cloud.alive) continue;
      record(req, out);
    }
  };

  const checker = (async () => {
    let lastProgress = 0;
    while (!stopping && issued < o.requests && elapsed() < o.seconds) {
      await sleep(1_000);
      if (elapsed() - lastProgress >= 10) {
        lastProgress = elapsed();
        o.progress?.(report.requests, elapsed());
        if (cloud.alive) await session.check().catch(() => undefined);
      }
    }
  })();

  await Promise.all(Array.from({ length: o.concurrency }, worker));
  stopping = true;
  await ready;
  await checker;
  cloud.onExit = undefined;
  sender.close();
  report.seconds = elapsed();
  report.routes = routes.size;
  report.slowRoutes = [...routes]
    .map(([route, { ms, n }]): [string, number, number] => [route, Math.round(ms / n), n])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  report.failures = [...failures.values()].sort((a, b) => a.key.localeCompare(b.key));
  report.tokensReissued = session.reissued;
  const used = process.cpuUsage(cpuAtStart.fuzzer);
  report.cpu = {
    fuzzer: (used.user + used.system) / 1e6,
    cloud: cloud.cpuSeconds() - (report.crashes.length ? 0 : cpuAtStart.cloud),
  };
  return report;
}
