import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./fuzz-cloud-main.ts', import.meta.url));

/** How a cloud process ended on its own. */
export interface CloudExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr (the crash's stack, usually). */
  stderrTail: string;
}

/**
 * The all-in-one cloud (identity, image, object storage, placement, network) in a child process
 * with a scratch data directory. When it dies the exit is recorded and `restart()` brings it back
 * on the same data, on new ports. Nothing is left running after `stop()`.
 */
export class FuzzCloud {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'nimbus-fuzz-'));
  /** Every exit that was not asked for. */
  readonly exits: CloudExit[] = [];
  private child?: ChildProcess;
  private urls = new Map<string, string>();
  private stderr: string[] = [];
  private stopping = false;
  /** Called once per unasked exit, before `exits` is read by anybody else. */
  onExit?: (exit: CloudExit) => void;

  /** Starts the process and waits until every API listens (about a second or two). */
  async start(): Promise<void> {
    this.stderr = [];
    // NIMBUS_FUZZ_NODE_ARGS: extra node flags for the cloud (`--cpu-prof`, `--max-old-space-size=512`).
    const nodeArgs = (process.env.NIMBUS_FUZZ_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(
      process.execPath,
      [...nodeArgs, '--import', 'tsx', MAIN, '--data-dir', this.dataDir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
      },
    );
    this.child = child;
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr.push(d.toString());
      if (this.stderr.length > 200) this.stderr.splice(0, this.stderr.length - 200);
    });
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      const exit = { code, signal, stderrTail: this.stderr.join('').slice(-4000) };
      this.exits.push(exit);
      this.onExit?.(exit);
    });
    const deadline = Date.now() + 60_000;
    while (!out.includes('Nimbus is up')) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`fuzz cloud exited while starting:\n${out}\n${this.stderr.join('')}`);
      }
      if (Date.now() > deadline) throw new Error(`fuzz cloud did not start in 60 s:\n${out}`);
      await sleep(25);
    }
    this.urls.clear();
    for (const m of out.matchAll(/^ {2}(\S+)\s+(http\S+)$/gm)) this.urls.set(m[1]!, m[2]!);
  }

  /** Base URL of a service type in the current process. */
  url(type: string): string {
    const url = this.urls.get(type);
    if (!url) throw new Error(`no ${type} endpoint`);
    return url;
  }

  /** Whether the process is running. */
  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** CPU seconds (user + system) the current process has used; 0 where /proc is missing. */
  cpuSeconds(): number {
    try {
      const f = readFileSync(`/proc/${this.child?.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return 0;
    }
  }

  /** Starts a new process on the same data after an exit. */
  async restart(): Promise<void> {
    if (this.alive) throw new Error('the cloud is still running');
    await this.start();
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and removes the data. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && this.alive) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
