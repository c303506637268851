import { InternalError } from '@nimbus/errors';
import type { Logger } from '@nimbus/logging';
import { Counter, Gauge, Histogram, register } from 'prom-client';

/** One pass of a periodic task. The signal aborts when the task is stopped during the pass. */
export type PeriodicRun = (signal: AbortSignal) => Promise<unknown>;

/** How to run a periodic task. */
export interface PeriodicTaskOptions {
  /** Shown in logs and as the `task` label of its metrics (`object-replicator`, `revocation-refresh`). */
  name: string;
  /** Seconds from the end of one pass to the start of the next (when the pass succeeded). */
  intervalSeconds: number;
  /**
   * Spread of every pause, as a fraction of it: 0.1 makes a 300 s pause last 270–330 s, so many
   * hosts started together do not all run at once. Default 0.1; 0 for a fixed pace.
   */
  jitter?: number;
  /** Seconds before the first pass; default one interval (a task does not run while the process starts). */
  initialDelaySeconds?: number;
  /** Growth of the pause after each consecutive failure. Default 2. */
  backoffFactor?: number;
  /** Longest pause after failures; never below the interval. Default 300. */
  maxBackoffSeconds?: number;
  /** One pass. A throw is logged with the task's name, counted, and delays the next pass. */
  run: PeriodicRun;
  logger: Logger;
}

/** What a task has done so far. */
export interface PeriodicTaskStats {
  runs: number;
  failures: number;
  /** Failures since the last success; drives the backoff. */
  consecutiveFailures: number;
  /** When the last pass ended, success or not. */
  lastRunAt?: Date;
  lastDurationSeconds?: number;
  lastError?: unknown;
  running: boolean;
}

/** A running periodic task. */
export interface PeriodicTask {
  readonly name: string;
  readonly stats: Readonly<PeriodicTaskStats>;
  /**
   * Runs a pass now, or right after the one under way (never two at once; requests made during
   * a pass are merged into one more pass). Resolves when that pass ended, with whether it
   * succeeded; never rejects. The regular schedule restarts from its end. After `stop()`, resolves
   * false without running.
   */
  runNow(): Promise<boolean>;
  /** Cancels the schedule and waits for a pass under way (whose signal is aborted). Idempotent. */
  stop(): Promise<void>;
}

const lastRun = metric(
  'nimbus_periodic_task_last_run_timestamp_seconds',
  () =>
    new Gauge({
      name: 'nimbus_periodic_task_last_run_timestamp_seconds',
      help: 'When the last pass of a periodic task ended (Unix time)',
      labelNames: ['task'],
      registers: [],
    }),
);
const duration = metric(
  'nimbus_periodic_task_duration_seconds',
  () =>
    new Histogram({
      name: 'nimbus_periodic_task_duration_seconds',
      help: 'Duration of the passes of a periodic task',
      labelNames: ['task'],
      buckets: [0.001, 0.01, 0.1, 1, 10, 60, 300, 1800, 3600],
      registers: [],
    }),
);
const failures = metric(
  'nimbus_periodic_task_failures_total',
  () =>
    new Counter({
      name: 'nimbus_periodic_task_failures_total',
      help: 'Passes of a periodic task that failed',
      labelNames: ['task'],
      registers: [],
    }),
);

/** The process-wide registry's metric of that name, registered once even when this module loads twice. */
function metric<T extends Gauge | Histogram | Counter>(name: string, create: () => T): T {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as T;
  const made = create();
  register.registerMetric(made);
  return made;
}

/**
 * Starts a periodic task: passes at `intervalSeconds` (± jitter) from the end of the previous
 * one, never two at once, longer pauses after failures (interval × factor^failures, capped), each
 * failure logged with the task's name. Timers do not keep the process alive. `/metrics` shows the
 * end of the last pass, pass durations and failures per task name.
 */
export function startPeriodicTask(options: PeriodicTaskOptions): PeriodicTask {
  const { name, logger } = options;
  const interval = checkSeconds(name, 'intervalSeconds', options.intervalSeconds);
  const jitter = Math.min(Math.max(options.jitter ?? 0.1, 0), 1);
  const factor = Math.max(options.backoffFactor ?? 2, 1);
  const maxBackoff = Math.max(options.maxBackoffSeconds ?? 300, interval);
  const stats: PeriodicTaskStats = { runs: 0, failures: 0, consecutiveFailures: 0, running: false };
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<boolean> | undefined;
  let next: Promise<boolean> | undefined;

  const spread = (seconds: number) => seconds * (1 + jitter * (2 * Math.random() - 1));
  const schedule = (seconds: number) => {
    if (abort.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void runNow(), Math.max(spread(seconds), 0) * 1000);
    timer.unref();
  };
  const pause = () =>
    stats.consecutiveFailures === 0
      ? interval
      : Math.min(interval * factor ** stats.consecutiveFailures, maxBackoff);

  const pass = async (): Promise<boolean> => {
    clearTimeout(timer);
    stats.running = true;
    const started = performance.now();
    let ok = true;
    try {
      const result = await options.run(abort.signal);
      stats.consecutiveFailures = 0;
      logger.debug({ task: name, result }, 'periodic task done');
    } catch (err) {
      ok = false;
      stats.failures++;
      stats.consecutiveFailures++;
      stats.lastError = err;
      failures.inc({ task: name });
      if (!abort.signal.aborted) {
        logger.warn(
          { err, task: name, failures: stats.consecutiveFailures, nextInSeconds: pause() },
          `periodic task ${name} failed`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    stats.runs++;
    stats.running = false;
    stats.lastRunAt = new Date();
    stats.lastDurationSeconds = seconds;
    lastRun.set({ task: name }, stats.lastRunAt.getTime() / 1000);
    duration.observe({ task: name }, seconds);
    schedule(pause());
    return ok;
  };

  function runNow(): Promise<boolean> {
    if (abort.signal.aborted) return Promise.resolve(false);
    if (!current) {
      current = pass().finally(() => {
        current = undefined;
      });
      return current;
    }
    next ??= current.then(() => {
      next = undefined;
      return runNow();
    });
    return next;
  }

  schedule(
    options.initialDelaySeconds === undefined
      ? interval
      : checkSeconds(name, 'initialDelaySeconds', options.initialDelaySeconds, true),
  );
  return {
    name,
    stats,
    runNow,
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await next;
      await current;
    },
  };
}

function checkSeconds(task: string, field: string, value: number, zeroAllowed = false): number {
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new InternalError(
      `Periodic task ${task}: ${field} must be a positive number of seconds, not ${value}`,
      {
        code: 'PERIODIC_TASK_INVALID_OPTION',
      },
    );
  }
  return value;
}
