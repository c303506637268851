import { type Credentials, scopeOf, toPolicyCredentials } from '@nimbus/auth';
import type { PolicyCheck } from '@nimbus/http';
import { PolicyEnforcer, type PolicyLogger, type RuleDefault } from '@nimbus/policy';
import { agentPolicies } from './agent-policies';
import { basePolicies } from './base-policies';
import { floatingIpPolicies } from './floating-ip-policies';
import { networkPolicies } from './network-policies';
import { portPolicies } from './port-policies';
import { quotaPolicies } from './quota-policies';
import { rbacPolicies } from './rbac-policies';
import { routerPolicies } from './router-policies';
import { securityGroupPolicies } from './security-group-policies';
import { segmentPolicies } from './segment-policies';
import { subnetPolicies } from './subnet-policies';
import { subnetPoolPolicies } from './subnet-pool-policies';

/** Every default rule of the network service (Neutron Zed). */
export const neutronPolicies: readonly RuleDefault[] = [
  ...basePolicies,
  ...networkPolicies,
  ...subnetPolicies,
  ...portPolicies,
  ...securityGroupPolicies,
  ...routerPolicies,
  ...floatingIpPolicies,
  ...quotaPolicies,
  ...segmentPolicies,
  ...agentPolicies,
  ...subnetPoolPolicies,
  ...rbacPolicies,
];

const FIELD_ATOM = /field:([a-z_]+):([^=\s)]+)=(~?)([^\s)]+)/g;

/**
 * Neutron's `field:<collection>:<attribute>=<value>` (and `=~<regex>`) checks read the target
 * resource. The policy engine knows only oslo's generic checks, so each field atom is rewritten to
 * `'True':%(field:...)s` and the value of that key is computed from the target before every check
 * (`fieldValues`). Overrides in policy files go through the same rewrite.
 */
export function rewriteFieldChecks(checkStr: string): string {
  return checkStr.replace(FIELD_ATOM, (atom) => `'True':%(${atom})s`);
}

/** Evaluates every field atom of the rules against a target, keyed by the atom's text. */
function fieldValues(atoms: readonly string[], target: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const atom of atoms) {
    const [, , attr, regex, value] = new RegExp(FIELD_ATOM.source).exec(atom)!;
    const actual = target[attr!];
    let ok: boolean;
    if (regex) ok = typeof actual === 'string' && new RegExp(value!).test(actual);
    else ok = String(actual === true ? 'True' : actual === false ? 'False' : actual) === value;
    out[atom] = ok ? 'True' : 'False';
  }
  return out;
}

/** What wiring the network policy takes from configuration. */
export interface NetworkPolicyOptions {
  overrides?: Record<string, string>;
  enforceScope: boolean;
  enforceNewDefaults: boolean;
  logger?: PolicyLogger;
}

/**
 * The one place the network service builds its policy check: Neutron's defaults, field checks
 * made generic, and the target completed with the field values and `tenant_id`.
 */
export function networkPolicyCheck(options: NetworkPolicyOptions): PolicyCheck {
  const rewrite = (rules: readonly RuleDefault[]): RuleDefault[] =>
    rules.map((r) => ({
      ...r,
      checkStr: rewriteFieldChecks(r.checkStr),
      ...(r.deprecatedRule
        ? { deprecatedRule: { ...r.deprecatedRule, checkStr: rewriteFieldChecks(r.deprecatedRule.checkStr) } }
        : {}),
    }));
  const overrides = Object.fromEntries(
    Object.entries(options.overrides ?? {}).map(([k, v]) => [k, rewriteFieldChecks(v)]),
  );
  const atoms = new Set<string>();
  const collect = (s: string) => {
    for (const m of s.matchAll(FIELD_ATOM)) atoms.add(m[0]);
  };
  for (const r of neutronPolicies) {
    collect(r.checkStr);
    if (r.deprecatedRule) collect(r.deprecatedRule.checkStr);
  }
  for (const v of Object.values(options.overrides ?? {})) collect(v);
  const atomList = [...atoms];
  const enforcer = new PolicyEnforcer({
    defaults: rewrite(neutronPolicies),
    overrides,
    enforceScope: options.enforceScope,
    enforceNewDefaults: options.enforceNewDefaults,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // Neutron's context adds `tenant_id` (and `is_admin`) to oslo.context's policy values.
  const credsOf = (c: Credentials) => ({ ...toPolicyCredentials(c), tenant_id: c.projectId ?? null });
  const check = {
    authorize: (action: string, target: Record<string, unknown>, c: Credentials) =>
      enforcer.authorize(action, target, credsOf(c), scopeOf(c)),
    allowed: (action: string, target: Record<string, unknown>, c: Credentials) => {
      try {
        return enforcer.enforce(action, target, credsOf(c), scopeOf(c)).allowed;
      } catch {
        return false;
      }
    },
  };
  const complete = (target: Record<string, unknown>) => {
    const t: Record<string, unknown> = { ...target, ...fieldValues(atomList, target) };
    if (t.project_id !== undefined && t.tenant_id === undefined) t.tenant_id = t.project_id;
    return t;
  };
  // While the old defaults are honoured, Neutron lets an admin context through before any rule.
  const isAdmin = (credentials: Credentials) =>
    !options.enforceNewDefaults && check.allowed('context_is_admin', {}, credentials);
  return {
    authorize: (action: string, target: Record<string, unknown>, credentials: Credentials) => {
      if (!isAdmin(credentials)) check.authorize(action, complete(target), credentials);
    },
    allowed: (action: string, target: Record<string, unknown>, credentials: Credentials) =>
      isAdmin(credentials) || check.allowed(action, complete(target), credentials),
  };
}
