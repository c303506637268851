import type { Route } from '@nimbus/http';
import { identityRoutes } from '@nimbus/identity';
import { imageApiRoutes } from '@nimbus/image';
import { networkRoutes } from '@nimbus/network';
import { placementRoutes, placementRouteTable } from '@nimbus/placement';
import { baselineChanges, makeBaseline } from './baseline';
import { api } from './cloud-api';
import { FuzzCloud } from './fuzz-cloud';
import { type FuzzOptions, requestArbitrary, runFuzz } from './fuzz-engine';
import { makeFuzzTargets } from './fuzz-fixtures';
import type { FuzzReport } from './fuzz-report';
import { FuzzSession } from './fuzz-session';

/** What a whole fuzz run found, beyond the report's figures. */
export interface FuzzRunResult {
  report: FuzzReport;
  /** Baseline entries that read back differently after fuzzing. */
  changed: string[];
  /** Services that did not answer a plain request within 5 s after fuzzing. */
  unresponsive: string[];
  /** Whether the process that ended the run is the one that started it. */
  sameProcess: boolean;
}

/**
 * Placement's declared routes and two of its catch-alls: its table also answers every other
 * method of each path with a 405, which would otherwise take most of its share of requests.
 */
export function placementFuzzRoutes(): Route[] {
  return placementRoutes.filter(
    (r) =>
      r.method in (placementRouteTable[r.path] ?? {}) ||
      (r.path === '/*' && (r.method === 'GET' || r.method === 'POST')),
  );
}

/** Options from the environment (NIMBUS_FUZZ_REQUESTS, NIMBUS_FUZZ_SECONDS, NIMBUS_FUZZ_SEED, NIMBUS_FUZZ_CONCURRENCY). */
export function optionsFromEnv(defaults: Omit<FuzzOptions, 'progress'>): Omit<FuzzOptions, 'progress'> {
  const n = (name: string, dflt: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : dflt;
  };
  return {
    seed: n('NIMBUS_FUZZ_SEED', defaults.seed),
    requests: n('NIMBUS_FUZZ_REQUESTS', defaults.requests),
    seconds: n('NIMBUS_FUZZ_SECONDS', defaults.seconds),
    concurrency: n('NIMBUS_FUZZ_CONCURRENCY', defaults.concurrency),
    maxRestarts: n('NIMBUS_FUZZ_MAX_RESTARTS', defaults.maxRestarts),
  };
}

/**
 * Starts the all-in-one cloud in a child process, stores a baseline and the fuzz targets, fuzzes
 * every route of every service, then checks that the baseline reads back byte-identical and
 * every API still answers. Stops the cloud whatever happens.
 */
export async function fuzzAllRoutes(options: FuzzOptions): Promise<FuzzRunResult> {
  const cloud = new FuzzCloud();
  try {
    await cloud.start();
    const session = new FuzzSession(cloud);
    await session.issueAdmin();
    const targets = await makeFuzzTargets(cloud, session);
    const { refs, baseline } = await makeBaseline(cloud, session);
    const arb = requestArbitrary(
      {
        identity: identityRoutes,
        image: imageApiRoutes,
        'object-store': [],
        placement: placementFuzzRoutes(),
        network: networkRoutes,
      },
      targets,
    );
    const report = await runFuzz(cloud, session, arb, options);
    const sameProcess = report.crashes.length === 0 && cloud.alive;
    if (!cloud.alive) await cloud.restart();
    const unresponsive: string[] = [];
    for (const [service, path] of [
      ['identity', '/v3'],
      ['image', '/versions'],
      ['object-store', '/info'],
      ['placement', '/'],
      ['network', '/'],
    ] as const) {
      const started = performance.now();
      const ok = await api(cloud, service, 'GET', path)
        .then((a) => a.status < 500)
        .catch(() => false);
      if (!ok || performance.now() - started > 5_000) unresponsive.push(service);
    }
    await session.check();
    const changed = await baselineChanges(cloud, session, refs, baseline);
    return { report, changed, unresponsive, sameProcess };
  } finally {
    await cloud.stop();
  }
}
