import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A `nimbus up` child process for benchmarks. */
export interface NimbusProcess {
  child: ChildProcess;
  /** Base URL of a service type, as `nimbus up` printed it. */
  endpoint(type: string): string;
  /** An admin token scoped to the admin project, and that project's id. */
  adminToken(): Promise<{ token: string; projectId: string }>;
  /** Resident memory of the child, in MB. */
  rssMb(): number;
  /** CPU seconds the child has used (user + system). */
  cpuSeconds(): number;
}

/** How to start the cloud. */
export interface StartOptions {
  /**
   * Run only these service types (`identity`, `object-store`, `image`), from sources, on
   * ephemeral ports (bench/support/nimbus-cloud.ts) instead of `nimbus up` on the default ports.
   */
  services?: string[];
  /** Extra node flags for the child (`--cpu-prof`...). */
  nodeArgs?: string[];
}

/**
 * Starts `nimbus up` in `dataDir` (extra arguments appended), or only some services on ephemeral
 * ports, and waits until it is up.
 */
export async function startNimbus(dataDir: string, extraArgs: string[] = [], options: StartOptions = {}): Promise<NimbusProcess> {
  const entry = options.services
    ? ['--import', 'tsx', 'bench/support/nimbus-cloud.ts', '--services', options.services.join(',')]
    : ['apps/nimbus/bin/nimbus.mjs', 'up'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, '--data-dir', dataDir, '--log-level', 'warn', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // As apps/nimbus/bin/nimbus.mjs: object servers keep many fsyncs in flight at once.
    env: { UV_THREADPOOL_SIZE: '64', ...process.env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  while (!out.includes('Nimbus is up')) {
    if (child.exitCode !== null) throw new Error(`nimbus up exited:\n${out}`);
    await sleep(20);
  }
  const endpoint = (type: string) => {
    const m = new RegExp(`^ {2}${type}\\s+(http\\S+)$`, 'm').exec(out);
    if (!m) throw new Error(`no ${type} endpoint in:\n${out}`);
    return m[1]!;
  };
  const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString());
  return {
    child,
    endpoint,
    async adminToken() {
      const password = /password: *['"]?([^'"\n]+)/.exec(readFileSync(join(dataDir, 'clouds.yaml'), 'utf8'))![1]!;
      const auth = await fetch(`${endpoint('identity')}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password } } },
            scope: { project: { name: 'admin', domain: { id: 'default' } } },
          },
        }),
      });
      const projectId = ((await auth.json()) as { token: { project: { id: string } } }).token.project.id;
      return { token: auth.headers.get('x-subject-token')!, projectId };
    },
    rssMb: () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024,
    cpuSeconds() {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / hz;
    },
  };
}
