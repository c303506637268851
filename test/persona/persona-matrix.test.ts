import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@nimbus/config';
import { osloPolicyOptions, ruleReferences } from '@nimbus/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExpectedPolicy, expectedPolicies } from './expected-policies';
import { pendingRules } from './pending-rules';
import { type PersonaCloud, personaNames, startPersonaCloud } from './persona-cloud';
import { computeRequests } from './requests/compute-requests';
import { identityRequests } from './requests/identity-requests';
import { imageRequests } from './requests/image-requests';
import { networkRequests } from './requests/network-requests';
import { placementRequests } from './requests/placement-requests';
import { resolve, type ServiceRuleRequests } from './rule-request';

// Issue 17's persona matrix: every registered rule of every service, sent over HTTP by each persona
// on a cloud with enforce_scope and enforce_new_defaults, is allowed or denied as its default says.
const matrix: readonly ServiceRuleRequests[] = [
  identityRequests,
  imageRequests,
  placementRequests,
  networkRequests,
  computeRequests,
];

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-persona-expect-'));
const config = Config.load({
  groups: [osloPolicyOptions],
  overrides: { oslo_policy: { enforce_scope: true, enforce_new_defaults: true } },
});
const expected = expectedPolicies(config, dataDir);

/** Rules other rules name with `rule:` and that guard no API call of their own. */
function aliases(p: ExpectedPolicy): Set<string> {
  const referenced = new Set<string>();
  for (const d of p.defaults) for (const n of ruleReferences(d.checkStr)) referenced.add(n);
  return new Set(
    p.defaults.filter((d) => referenced.has(d.name) && !d.operations?.length).map((d) => d.name),
  );
}

describe('persona matrix: coverage', () => {
  for (const [service, policy] of Object.entries(expected)) {
    it(`accounts for every rule of ${service}: a request, a reason it has none, or the pending list`, () => {
      const entry = matrix.find((m) => m.service === service);
      const registered = new Set(policy.defaults.map((d) => d.name));
      const requested = new Set(entry?.requests.map((r) => r.rule) ?? []);
      const unreachable = new Set(Object.keys(entry?.unreachable ?? {}));
      const alias = aliases(policy);
      const pending = new Set(pendingRules[service] ?? []);
      // Every name used is registered (a misspelt template would test nothing).
      for (const n of [...requested, ...unreachable, ...pending]) expect(registered, n).toContain(n);
      // No rule is both requested and excused; the pending list only shrinks.
      for (const n of requested) {
        expect(unreachable.has(n) || pending.has(n), `${n} has a request and an excuse`).toBe(false);
      }
      const missing = [...registered].filter(
        (n) => !requested.has(n) && !unreachable.has(n) && !alias.has(n) && !pending.has(n),
      );
      expect(missing, `rules of ${service} with no request, no reason and not pending`).toEqual([]);
    });
  }
});

describe('persona matrix: each persona over HTTP', () => {
  let fx: PersonaCloud;
  beforeAll(async () => {
    fx = await startPersonaCloud(matrix.map((m) => m.service));
  }, 120_000);
  afterAll(async () => {
    await fx?.cloud.stop();
    for (const p of Object.values(expected)) p.check.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const entry of matrix) {
    it(`${entry.service}: every persona is allowed or denied as each rule's default says`, async () => {
      const policy = expected[entry.service]!.check;
      const wrong: string[] = [];
      for (const req of entry.requests) {
        for (const name of personaNames) {
          const made = req.setup ? await req.setup(fx) : {};
          const persona = fx.personas[name];
          const scope = { fx, made, caller: persona.credentials };
          const target = req.target ? req.target(scope) : {};
          const allowed = policy.allowed(req.rule, target, persona.credentials);
          const path = resolve(req.path, scope);
          const body = req.body === undefined ? undefined : resolve(req.body, scope);
          const answer = await fx.as(name, entry.service)(req.method, path, body, req.headers);
          const denied = [...(req.denied ?? [403]), ...(name === 'noRole' ? [401] : [])];
          const ok = allowed
            ? !denied.includes(answer.status) && answer.status !== 401 && answer.status < 500
            : denied.includes(answer.status);
          if (!ok) {
            wrong.push(
              `${req.rule} ${name}: expected ${allowed ? 'allowed' : `denied (${denied.join('/')})`}, ${req.method} ${path} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`,
            );
          }
        }
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  }
});
