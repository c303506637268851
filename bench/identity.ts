// Prints identity's figures against the all-in-one cloud, medians of several runs:
//   token validation (GET /v3/auth/tokens) requests/s and p50,
//   token issue with a password (minus the bcrypt time) and with the token method,
//   the project list of 1,000 projects (p50).
//   npx tsx bench/identity.ts [--runs 3] [--seconds 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcrypt';
import { median, runAutocannon } from './support/load';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const runs = arg('--runs', 3);
const seconds = arg('--seconds', 5);
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-identity-'));
const child = spawn(
  process.execPath,
  ['apps/nimbus/bin/nimbus.mjs', 'up', '--data-dir', dataDir, '--log-level', 'warn'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);

async function main() {
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  while (!out.includes('Nimbus is up')) {
    if (child.exitCode !== null) throw new Error(`nimbus up exited:\n${out}`);
    await sleep(20);
  }
  const base = /^ {2}identity\s+(http\S+)$/m.exec(out)?.[1];
  if (!base) throw new Error('no identity endpoint');
  const password = /password: *['"]?([^'"\n]+)/.exec(readFileSync(join(dataDir, 'clouds.yaml'), 'utf8'))![1]!;
  const passwordBody = JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: 'admin', domain: { name: 'Default' }, password } },
      },
      scope: { project: { name: 'admin', domain: { name: 'Default' } } },
    },
  });
  const issue = async (body: string) => {
    const r = await fetch(`${base}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (r.status !== 201) throw new Error(`token issue: ${r.status} ${await r.text()}`);
    return r.headers.get('x-subject-token')!;
  };
  const token = await issue(passwordBody);
  const auth = { 'x-auth-token': token, 'content-type': 'application/json' };

  // Password issue: wall time minus one bcrypt comparison at the same cost.
  const hash = await bcrypt.hash(password, 12);
  const issueMs: number[] = [];
  const bcryptMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    let t = performance.now();
    await issue(passwordBody);
    issueMs.push(performance.now() - t);
    t = performance.now();
    await bcrypt.compare(password, hash);
    bcryptMs.push(performance.now() - t);
  }

  const validate: number[] = [];
  const validateP50: number[] = [];
  const rescope: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Throughput with 32 clients; latency with one client at a time (no queueing in the figure).
    const v = await runAutocannon({
      url: `${base}/v3/auth/tokens`,
      seconds,
      headers: { ...auth, 'x-subject-token': token },
    });
    const one = await runAutocannon({
      url: `${base}/v3/auth/tokens`,
      seconds,
      connections: 1,
      headers: { ...auth, 'x-subject-token': token },
    });
    if (v.non2xx || one.non2xx) throw new Error(`validation answered ${v.non2xx + one.non2xx} errors`);
    validate.push(v.rps);
    validateP50.push(one.p50);
    const r = await runAutocannon({
      url: `${base}/v3/auth/tokens`,
      seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['token'], token: { id: token } } } }),
    });
    if (r.non2xx) throw new Error(`token-method issue answered ${r.non2xx} errors`);
    rescope.push(r.rps);
  }

  for (let i = 0; i < 1000; i++) {
    const r = await fetch(`${base}/v3/projects`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ project: { name: `bench-${i}`, domain_id: 'default' } }),
    });
    if (r.status !== 201) throw new Error(`project create: ${r.status}`);
  }
  const list: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runAutocannon({ url: `${base}/v3/projects`, seconds, connections: 1, headers: auth });
    if (r.non2xx) throw new Error(`project list answered ${r.non2xx} errors`);
    list.push(r.p50);
  }

  const pwIssue = median(issueMs);
  const bc = median(bcryptMs);
  process.stdout.write(
    [
      `token validation:        ${Math.round(median(validate))} requests/s (32 clients), p50 ${median(validateP50)} ms (one client)`,
      `token issue (password):  ${pwIssue.toFixed(1)} ms = bcrypt ${bc.toFixed(1)} ms + ${(pwIssue - bc).toFixed(1)} ms`,
      `token issue (token):     ${Math.round(median(rescope))} requests/s`,
      `project list (1,000):    p50 ${median(list)} ms (one client)`,
      '',
    ].join('\n'),
  );
}

main()
  .catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    child.kill('SIGTERM');
    child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  });
