// Prints the median time from `nimbus up` to every API answering /healthcheck, and the idle
// resident memory of the all-in-one process. The first start of a fresh data directory (which
// bootstraps identity) is reported apart from warm starts.
//   npx tsx bench/startup.ts [--runs 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from '../scripts/build.mjs';
import { median } from './support/load';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-startup-'));

async function startOnce(): Promise<{ ms: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['apps/nimbus/bin/nimbus.mjs', 'up', '--data-dir', dataDir, '--log-level', 'warn'],
    {
      env: { ...process.env, NIMBUS_NO_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  try {
    while (!out.includes('Nimbus is up')) {
      if (child.exitCode !== null) throw new Error(`nimbus up exited with ${child.exitCode}:\n${out}`);
      await sleep(2);
    }
    const urls = [...out.matchAll(/^ {2}\S+\s+(http\S+)$/gm)].map((m) => m[1]!);
    // Every listener must answer, not just be announced.
    for (const url of urls) {
      for (;;) {
        const ok = await fetch(`${url}/healthcheck`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        await sleep(2);
      }
    }
    const ms = performance.now() - t0;
    await sleep(3000);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { ms, rssMb };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

await build();
try {
  const first = await startOnce();
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await startOnce());
  console.log(`first start (bootstrap): ${first.ms.toFixed(0)} ms`);
  console.log(
    `warm start             : median ${median(warm.map((w) => w.ms)).toFixed(0)} ms over ${runs} runs (target <= 1000 ms)`,
  );
  console.log(
    `idle RSS               : median ${median(warm.map((w) => w.rssMb)).toFixed(1)} MB (target <= 100 MB)`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
