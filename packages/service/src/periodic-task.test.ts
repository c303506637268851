import { silentLogger } from '@nimbus/logging';
import { register } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type PeriodicTask, startPeriodicTask } from './periodic-task';

const tasks: PeriodicTask[] = [];
const start = (
  options: Omit<Parameters<typeof startPeriodicTask>[0], 'logger'> & {
    logger?: ReturnType<typeof silentLogger>;
  },
) => {
  const t = startPeriodicTask({ logger: silentLogger(), ...options });
  tasks.push(t);
  return t;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  const stopping = Promise.all(tasks.splice(0).map((t) => t.stop()));
  // A pass may be waiting on a fake timer: let it end.
  if (vi.isFakeTimers()) await vi.runOnlyPendingTimersAsync();
  await stopping;
  vi.useRealTimers();
});

describe('startPeriodicTask', () => {
  it('waits one interval before the first pass, then keeps the pace from the end of each pass', async () => {
    vi.useFakeTimers();
    const at: number[] = [];
    start({
      name: 't-pace',
      intervalSeconds: 10,
      jitter: 0,
      run: async () => {
        at.push(Date.now());
        await new Promise((r) => setTimeout(r, 2000));
      },
    });
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(at).toEqual([]);
    await vi.advanceTimersByTimeAsync(1 + 2000 + 10_000);
    expect(at.map((t) => t - t0)).toEqual([10_000, 22_000]);
  });

  it('spreads pauses by the jitter fraction', async () => {
    vi.useFakeTimers();
    const at: number[] = [];
    start({
      name: 't-jitter',
      intervalSeconds: 100,
      jitter: 0.5,
      initialDelaySeconds: 0,
      run: async () => void at.push(Date.now()),
    });
    await vi.advanceTimersByTimeAsync(2000 * 1000);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps.length).toBeGreaterThan(12);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(150_000);
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('never runs two passes at once and merges requests made during a pass', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const t = start({
      name: 't-overlap',
      intervalSeconds: 3600,
      run: async () => {
        active++;
        most = Math.max(most, active);
        runs++;
        await sleep(30);
        active--;
      },
    });
    const results = await Promise.all([t.runNow(), t.runNow(), t.runNow(), t.runNow()]);
    expect(results).toEqual([true, true, true, true]);
    expect(most).toBe(1);
    expect(runs).toBe(2);
  });

  it('backs off after failures, logs them with the task name, and resets on success', async () => {
    vi.useFakeTimers();
    const warnings: unknown[] = [];
    const logger = silentLogger();
    logger.warn = ((obj: unknown) => void warnings.push(obj)) as typeof logger.warn;
    const at: number[] = [];
    let fail = 3;
    const t = start({
      name: 't-backoff',
      intervalSeconds: 10,
      jitter: 0,
      initialDelaySeconds: 0,
      maxBackoffSeconds: 50,
      logger,
      run: async () => {
        at.push(Date.now());
        if (fail-- > 0) throw new Error('boom');
      },
    });
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(200_000);
    // Fails at 0, then pauses 20, 40, 50 (capped); succeeds at 110, then back to 10.
    expect(at.slice(0, 6).map((x) => x - t0)).toEqual([0, 20_000, 60_000, 110_000, 120_000, 130_000]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatchObject({ task: 't-backoff', failures: 1 });
    expect(t.stats.failures).toBe(3);
    expect(t.stats.consecutiveFailures).toBe(0);
  });

  it('stops cleanly: waits for the pass under way, aborts its signal, runs nothing after', async () => {
    let aborted = false;
    let finished = false;
    let runs = 0;
    const t = start({
      name: 't-stop',
      intervalSeconds: 0.01,
      jitter: 0,
      initialDelaySeconds: 0,
      run: async (signal) => {
        runs++;
        await sleep(50);
        aborted = signal.aborted;
        finished = true;
      },
    });
    await sleep(10);
    await t.stop();
    expect(finished).toBe(true);
    expect(aborted).toBe(true);
    const after = runs;
    await sleep(40);
    expect(runs).toBe(after);
    expect(await t.runNow()).toBe(false);
  });

  it('shows last run, durations and failures on the process registry', async () => {
    const t = start({
      name: 't-metrics',
      intervalSeconds: 3600,
      run: async () => {
        throw new Error('nope');
      },
    });
    expect(await t.runNow()).toBe(false);
    const text = await register.metrics();
    expect(text).toMatch(/nimbus_periodic_task_last_run_timestamp_seconds\{task="t-metrics"\} \d+/);
    expect(text).toContain('nimbus_periodic_task_duration_seconds_count{task="t-metrics"} 1');
    expect(text).toContain('nimbus_periodic_task_failures_total{task="t-metrics"} 1');
  });

  it('refuses a zero or negative interval', () => {
    expect(() => start({ name: 'bad', intervalSeconds: 0, run: async () => {} })).toThrow(/intervalSeconds/);
  });
});
