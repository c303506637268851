import { type ChildProcess, spawn } from 'node:child_process';
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
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
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
