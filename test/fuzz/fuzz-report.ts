import type { CloudExit } from './fuzz-cloud';
import type { FuzzOutcome, FuzzRequest } from './fuzz-request';

/** Why a request counts against the cloud. */
export type FailureKind = 'server-error' | 'hang' | 'dropped';

/** One kind of failure on one route, with its first example. */
export interface FuzzFailure {
  kind: FailureKind;
  /** `kind route status`: failures with the same key are one entry. */
  key: string;
  example: FuzzRequest;
  outcome: FuzzOutcome;
  count: number;
}

/** A death of the cloud process. */
export interface FuzzCrash {
  exit: CloudExit;
  /** Requests in flight when it died (placeholders kept, tokens not printed). */
  suspects: FuzzRequest[];
  /** The suspect that killed the restarted cloud again when replayed alone, if one did. */
  culprit?: FuzzRequest;
}

/** The figures and findings of a run. */
export interface FuzzReport {
  seed: number;
  requests: number;
  seconds: number;
  perService: Record<string, number>;
  /** Answers by status class (`2xx`...), plus `hang` and `dropped`. */
  outcomes: Record<string, number>;
  /** 501s: answers for what is not implemented, counted but allowed. */
  notImplemented: number;
  routes: number;
  slowestMs: number;
  /** The routes that took longest on average: route, mean ms, requests. */
  slowRoutes: [string, number, number][];
  failures: FuzzFailure[];
  crashes: FuzzCrash[];
  tokensReissued: number;
  /** CPU seconds used during the run by the fuzzer's process and by the cloud's (current) process. */
  cpu: { fuzzer: number; cloud: number };
}

const excerpt = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length})` : s);

/** One request as a line a person can replay with curl. */
export function describeRequest(r: FuzzRequest): string {
  if (r.raw) return `raw ${JSON.stringify(excerpt(r.raw.toString('latin1'), 240))}`;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${excerpt(v, 60)}`)
    .join(' | ');
  const body = r.body
    ? ` body(${r.body.length} B)=${JSON.stringify(excerpt(r.body.toString('utf8'), 200))}`
    : '';
  return `${r.method} ${excerpt(r.path, 200)} [${headers}]${body}`;
}

function describeOutcome(o: FuzzOutcome): string {
  switch (o.kind) {
    case 'status':
      return `${o.status} in ${o.ms} ms ${JSON.stringify(excerpt(o.excerpt, 160))}`;
    case 'hang':
      return `no complete answer in ${o.ms} ms`;
    case 'dropped':
      return `connection closed without an answer (${o.error})`;
  }
}

/** The findings, one per line group, for a test failure message or the bench's output. */
export function formatFindings(report: FuzzReport): string {
  const lines: string[] = [];
  for (const c of report.crashes) {
    lines.push(`CRASH: exit code ${c.exit.code} signal ${c.exit.signal}`);
    if (c.culprit) lines.push(`  replayed alone, this killed it again: ${describeRequest(c.culprit)}`);
    else for (const s of c.suspects.slice(0, 12)) lines.push(`  in flight: ${describeRequest(s)}`);
    lines.push(`  stderr: ${c.exit.stderrTail.split('\n').filter(Boolean).slice(-6).join(' ⏎ ')}`);
  }
  for (const f of report.failures) {
    lines.push(`${f.kind.toUpperCase()} ×${f.count} [${f.key}]`);
    lines.push(`  ${describeRequest(f.example)}`);
    lines.push(`  → ${describeOutcome(f.outcome)}`);
  }
  return lines.join('\n');
}

/** The figures, for the bench and the test log. */
export function formatFigures(r: FuzzReport): string {
  const rate = Math.round(r.requests / Math.max(r.seconds, 0.001));
  return [
    `seed ${r.seed}: ${r.requests} requests in ${r.seconds.toFixed(1)} s (${rate}/s) over ${r.routes} routes`,
    `per service: ${Object.entries(r.perService)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `outcomes: ${Object.entries(r.outcomes)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; 501 ${r.notImplemented}`,
    `crashes ${r.crashes.length}, hangs ${r.outcomes.hang ?? 0}, unexpected 5xx ${r.failures.filter((f) => f.kind === 'server-error').reduce((n, f) => n + f.count, 0)}, dropped ${r.outcomes.dropped ?? 0}, slowest answer ${r.slowestMs} ms, tokens re-issued ${r.tokensReissued}`,
    `CPU seconds: fuzzer ${r.cpu.fuzzer.toFixed(1)}, cloud ${r.cpu.cloud.toFixed(1)}`,
    `slowest routes (mean ms): ${r.slowRoutes.map(([route, ms, n]) => `${route} ${ms} (${n})`).join('; ')}`,
  ].join('\n');
}
