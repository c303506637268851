// Prints the cost of one policy check through the shared loader and adapter (credentials mapped
// as identity maps them, scope checked, rule evaluated) with a 200-rule operator file: identity's
// 188 defaults all overridden, plus 12 aliases they refer to. p50 and p99 over batches of 100
// checks. Then the reload latency: from a renamed-into-place file to the first check that sees it,
// with fs.watch, and with the polling fallback alone (the policy directory created after start).
//   npx tsx bench/policy.ts [--samples 3000] [--reloads 10]

import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '@nimbus/auth';
import { Config } from '@nimbus/config';
import { identityPolicies, identityPolicyCredentials } from '@nimbus/identity';
import { silentLogger } from '@nimbus/logging';
import { loadServicePolicy, osloPolicyOptions, type ServicePolicy } from '@nimbus/policy';
import { median } from './support/load';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const samples = Number(arg('--samples')) || 3000;
const reloads = Number(arg('--reloads')) || 10;
const BATCH = 100;

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-policy-'));
const policyDir = join(dataDir, 'policy');
const file = join(policyDir, 'identity.yaml');
const writeFile = (text: string) => {
  mkdirSync(policyDir, { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};

// 188 overrides (each rule as it is, OR-ed with an alias for the first twelve) and 12 aliases.
const aliases = Array.from({ length: 12 }, (_, i) => `bench_alias_${i}`);
/** The file; `restricted` makes identity:get_user admin-only, to see reloads. */
const fileText = (restricted: boolean) => {
  const lines = identityPolicies.map((d, i) => {
    let check = i < aliases.length ? `(${d.checkStr || '@'}) or rule:${aliases[i]}` : d.checkStr;
    if (restricted && d.name === 'identity:get_user') check = 'role:admin';
    return `${JSON.stringify(d.name)}: ${JSON.stringify(check)}`;
  });
  for (const a of aliases)
    lines.push(`${JSON.stringify(a)}: "role:bench_role and project_id:%(project_id)s"`);
  return `${lines.join('\n')}\n`;
};
writeFile(fileText(false));

const config = Config.load({ groups: [osloPolicyOptions] });
const load = () =>
  loadServicePolicy({
    serviceType: 'identity',
    defaults: identityPolicies,
    config,
    dataDir,
    logger: silentLogger(),
    credentials: identityPolicyCredentials,
    strict: false,
  });

const caller: Credentials = {
  token: 't',
  userId: 'u1',
  userName: 'u1',
  userDomainId: 'default',
  userDomainName: 'Default',
  projectId: 'p1',
  projectDomainId: 'default',
  roles: ['member', 'reader'],
  roleIds: [],
  isAdminProject: false,
  methods: ['password'],
  auditIds: [],
  issuedAt: new Date(),
  expiresAt: new Date(Date.now() + 3_600_000),
};
const target = { target: { user: { id: 'u1', domain_id: 'default' } } };

const policy = load();
const ruleCount = policy.enforcer.rules().size;
const perCheck: number[] = [];
for (let s = 0; s < samples; s++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) {
    policy.allowed('identity:get_user', target, caller);
    policy.allowed('identity:list_projects', { target: { domain_id: 'default' } }, caller);
  }
  perCheck.push(Number(process.hrtime.bigint() - t) / (2 * BATCH) / 1000);
}
perCheck.sort((a, b) => a - b);
const pct = (p: number) => perCheck[Math.min(perCheck.length - 1, Math.floor(perCheck.length * p))]!;
console.log(
  `policy check (${ruleCount} rules in force, 200 in the file): p50 ${pct(0.5).toFixed(2)} µs, p99 ${pct(0.99).toFixed(2)} µs`,
);

/** Seconds from a rewritten file to the first check that sees it. */
async function reloadSeconds(p: ServicePolicy, change: () => void, seen: () => boolean): Promise<number> {
  const started = performance.now();
  change();
  while (!seen()) {
    if (performance.now() - started > 10_000)
      throw new Error(`reload not seen within 10 s: ${p.lastError?.message}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return (performance.now() - started) / 1000;
}

const watched: number[] = [];
for (let i = 0; i < reloads; i++) {
  const restricted = i % 2 === 0;
  watched.push(
    await reloadSeconds(
      policy,
      () => writeFile(fileText(restricted)),
      () => policy.allowed('identity:get_user', target, caller) !== restricted,
    ),
  );
}
policy.close();

// The polling fallback alone: no policy directory at start, so fs.watch has nothing to watch.
rmSync(policyDir, { recursive: true, force: true });
const polled: number[] = [];
for (let i = 0; i < Math.min(reloads, 5); i++) {
  rmSync(policyDir, { recursive: true, force: true });
  const p = load();
  polled.push(
    await reloadSeconds(
      p,
      () => writeFile(fileText(true)),
      () => !p.allowed('identity:get_user', target, caller),
    ),
  );
  p.close();
}
const fmt = (xs: number[]) => `median ${median(xs).toFixed(3)} s, max ${Math.max(...xs).toFixed(3)} s`;
console.log(`reload, fs.watch: ${fmt(watched)} (${watched.length} changes)`);
console.log(`reload, polling fallback: ${fmt(polled)} (${polled.length} changes)`);
rmSync(dataDir, { recursive: true, force: true });
