import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Starts `npx tsx <args>` and waits for it to print `listening <port>`. */
export async function startChild(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ port: number; stop(): void; process: ChildProcess; cpuMicros(): Promise<number> }> {
  // BENCH_CPU_PROF=<dir> writes the server child's V8 CPU profile there when it exits.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before listening`)));
  });
  const cpuMicros = () =>
    new Promise<number>((resolve) => {
      const onData = (d: Buffer) => {
        const m = /cpu (\d+)/.exec(d.toString());
        if (m) {
          child.stdout!.off('data', onData);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.kill('SIGUSR2');
    });
  return { port, process: child, cpuMicros, stop: () => child.kill('SIGTERM') };
}

/** One autocannon run: requests/s (mean over the run), median latency in ms, non-2xx count. */
export async function runAutocannon(opts: {
  url: string;
  seconds: number;
  connections?: number;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
}) {
  const result = await autocannon({
    url: opts.url,
    duration: opts.seconds,
    connections: opts.connections ?? 32,
    pipelining: 1,
    headers: opts.headers,
    method: (opts.method ?? 'GET') as 'GET',
    body: opts.body,
  });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    non2xx: result.non2xx + result.errors,
  };
}

/**
 * One wrk run (GET, one thread): requests/s and failed requests. wrk is C and runs outside this
 * process: where a response costs the server only tens of microseconds, autocannon's own
 * JavaScript, on the other of two cores, is what would be measured.
 * `bash scripts/setup.sh --bench` installs it.
 */
export async function runWrk(opts: {
  url: string;
  seconds: number;
  connections?: number;
  headers?: Record<string, string>;
}) {
  const args = ['-t1', `-c${opts.connections ?? 32}`, `-d${opts.seconds}s`];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  let out: string;
  try {
    out = (await promisify(execFile)('wrk', [...args, opts.url])).stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('wrk is not installed: bash scripts/setup.sh --bench installs it');
    throw err;
  }
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`unexpected wrk output:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(rps[1]),
    non2xx: non2xx + (errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}
