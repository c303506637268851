import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForbiddenError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import { PolicySyntaxError, parseRule } from './parse-rule';
import { PolicyEnforcer } from './policy-enforcer';
import { InvalidScopeError, PolicyNotRegistered } from './policy-errors';
import { generateSampleYaml } from './sample';

const creds = (over: Record<string, unknown> = {}) => ({
  user_id: 'u1',
  project_id: 'p1',
  roles: ['Member', 'reader'],
  is_admin: false,
  system_scope: null,
  ...over,
});
const run = (
  rule: string,
  target: Record<string, unknown> = {},
  c = creds(),
  rules: Record<string, string> = {},
) =>
  parseRule(rule)({
    target,
    creds: c,
    rule: (n) => (n in rules ? parseRule(rules[n]!) : undefined),
    stack: [],
  });

describe('rule grammar', () => {
  it('handles always, never and empty rules', () => {
    expect(run('')).toBe(true);
    expect(run('@')).toBe(true);
    expect(run('!')).toBe(false);
  });

  it('compares roles case-insensitively', () => {
    expect(run('role:member')).toBe(true);
    expect(run('role:admin')).toBe(false);
    expect(run('role:%(wanted)s', { wanted: 'READER' })).toBe(true);
  });

  it('gives not > and > or precedence, and honours parentheses', () => {
    expect(run('role:admin or role:member and role:reader')).toBe(true);
    expect(run('role:admin and role:member or role:reader')).toBe(true);
    expect(run('role:admin and (role:member or role:reader)')).toBe(false);
    expect(run('not role:admin and role:member')).toBe(true);
    expect(run('not (role:member or role:admin)')).toBe(false);
    expect(run('((role:member) and ((role:reader)))')).toBe(true);
    expect(run('NOT role:admin AND role:reader')).toBe(true);
  });

  it('substitutes target attributes, dotted ones included, and fails when they are missing', () => {
    expect(run('project_id:%(project_id)s', { project_id: 'p1' })).toBe(true);
    expect(run('project_id:%(project_id)s', { project_id: 'p2' })).toBe(false);
    expect(run('user_id:%(target.token.user_id)s', { 'target.token.user_id': 'u1' })).toBe(true);
    expect(run('user_id:%(target.user.id)s', { target: { user: { id: 'u1' } } })).toBe(true);
    expect(run('project_id:%(project_id)s', {})).toBe(false);
  });

  it('evaluates generic checks with literals on either side', () => {
    expect(run('is_admin:True', {}, creds({ is_admin: true }))).toBe(true);
    expect(run('is_admin:True')).toBe(false);
    expect(run("'p1':%(project_id)s", { project_id: 'p1' })).toBe(true);
    expect(run("project_id:'p1'")).toBe(true);
    expect(run('token.is_admin_project:True', {}, creds({ token: { is_admin_project: true } }))).toBe(true);
    expect(run('roles:reader')).toBe(true);
    expect(run('http://example.com/check')).toBe(false);
  });

  it('follows rule: references and stops loops instead of hanging', () => {
    expect(run('rule:a', {}, creds(), { a: 'role:member' })).toBe(true);
    expect(run('rule:missing')).toBe(false);
    expect(run('rule:a', {}, creds(), { a: 'rule:b', b: 'rule:a' })).toBe(false);
    expect(run('rule:a or role:reader', {}, creds(), { a: 'rule:a' })).toBe(true);
  });

  it('rejects malformed rules', () => {
    for (const bad of [
      'role:admin and',
      '(role:admin',
      'role:admin)',
      'or role:admin',
      'admin',
      'role:a role:b',
      'not',
    ]) {
      expect(() => parseRule(bad), bad).toThrow(PolicySyntaxError);
    }
  });
});

describe('PolicyEnforcer', () => {
  const defaults = [
    { name: 'admin_required', checkStr: 'role:admin', description: 'admin' },
    {
      name: 'identity:get_user',
      checkStr: 'rule:admin_required or user_id:%(target.user.id)s',
      description: 'Show a user.',
      scopeTypes: ['system', 'project'] as const,
    },
    {
      name: 'identity:list_users',
      checkStr: 'role:admin and system_scope:all',
      description: 'List users.',
      deprecatedRule: { name: 'identity:list_users', checkStr: 'role:reader' },
    },
  ];

  it('allows, denies with a reason, and throws Forbidden with the upstream wording', () => {
    const e = new PolicyEnforcer({ defaults, enforceNewDefaults: true });
    expect(e.enforce('identity:get_user', { target: { user: { id: 'u1' } } }, creds()).allowed).toBe(true);
    const denied = e.enforce('identity:get_user', { target: { user: { id: 'u2' } } }, creds());
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toContain('identity:get_user');
    expect(() => e.authorize('identity:list_users', {}, creds())).toThrow(ForbiddenError);
    expect(() => e.authorize('identity:list_users', {}, creds())).toThrow(
      "Policy doesn't allow identity:list_users to be performed.",
    );
    expect(() => e.enforce('nope', {}, creds())).toThrow(PolicyNotRegistered);
  });

  it('ORs deprecated rules in until new defaults are enforced', () => {
    expect(
      new PolicyEnforcer({ defaults, enforceNewDefaults: false }).enforce('identity:list_users', {}, creds())
        .allowed,
    ).toBe(true);
    expect(
      new PolicyEnforcer({ defaults, enforceNewDefaults: true }).enforce('identity:list_users', {}, creds())
        .allowed,
    ).toBe(false);
  });

  it('enforces scope types when asked', () => {
    const e = new PolicyEnforcer({ defaults, enforceScope: true, enforceNewDefaults: true });
    expect(() => e.enforce('identity:get_user', {}, creds(), 'domain')).toThrow(InvalidScopeError);
    expect(
      e.enforce('identity:get_user', { target: { user: { id: 'u1' } } }, creds(), 'project').allowed,
    ).toBe(true);
  });

  it('loads overrides from policy.yaml, and a broken override denies instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '"identity:list_users": "role:reader"\n"identity:get_user": "role:admin and ("\n');
    const warnings: string[] = [];
    const e = new PolicyEnforcer({
      defaults,
      overrides: PolicyEnforcer.loadOverrides(file),
      enforceNewDefaults: true,
      logger: { debug() {}, warn: (_o, m) => warnings.push(m) },
    });
    expect(e.enforce('identity:list_users', {}, creds()).allowed).toBe(true);
    expect(e.enforce('identity:get_user', { target: { user: { id: 'u1' } } }, creds()).allowed).toBe(false);
    expect(warnings[0]).toContain('failed to parse');
  });

  it('generates a commented sample', () => {
    const sample = generateSampleYaml(defaults);
    expect(sample).toContain('#"identity:get_user": "rule:admin_required or user_id:%(target.user.id)s"');
    expect(sample).toContain('# Intended scope(s): system, project');
  });

  it('enforces fast enough for every request', () => {
    const e = new PolicyEnforcer({ defaults, enforceNewDefaults: true });
    const target = { target: { user: { id: 'u1' } } };
    const c = creds();
    const n = 50_000;
    const t = performance.now();
    for (let i = 0; i < n; i++) e.enforce('identity:get_user', target, c);
    const micros = ((performance.now() - t) * 1000) / n;
    expect(micros).toBeLessThan(20);
  });
});

describe('service check kinds', () => {
  // A kind as a service registers it (oslo.policy's register()): `size:<n>` passes when the
  // target's size is at most n, and refuses a match that is not a number.
  const kinds = {
    size: (match: string) => {
      if (!/^\d+$/.test(match)) throw new PolicySyntaxError(`size:${match} is not a number`);
      const max = Number(match);
      return ({ target }: { target: Record<string, unknown> }) => Number(target.size) <= max;
    },
  };
  const defaults = [
    { name: 'upload', checkStr: 'role:member and size:10', description: 'Upload.' },
    { name: 'rule_named_size', checkStr: 'rule:upload', description: 'Alias.' },
  ];

  it('compiles registered kinds in defaults and in evaluated check strings', () => {
    const e = new PolicyEnforcer({ defaults, checkKinds: kinds });
    expect(e.enforce('upload', { size: 5 }, creds()).allowed).toBe(true);
    expect(e.enforce('upload', { size: 50 }, creds()).allowed).toBe(false);
    expect(e.enforce('rule_named_size', { size: 50 }, creds()).allowed).toBe(false);
    expect(e.evaluate('size:100', { size: 50 }, creds())).toBe(true);
    // Without the kind, `size:10` is oslo's generic check against the credentials.
    const plain = new PolicyEnforcer({ defaults });
    expect(plain.enforce('upload', { size: 5 }, creds()).allowed).toBe(false);
  });

  it('lets a kind refuse a malformed match as a syntax error', () => {
    expect(() => parseRule('size:big', kinds)).toThrow(PolicySyntaxError);
    expect(() => parseRule('size:big')).not.toThrow();
  });

  it('never lets a kind replace rule:', () => {
    const e = new PolicyEnforcer({ defaults, checkKinds: { ...kinds, rule: () => () => true } });
    expect(e.enforce('rule_named_size', { size: 50 }, creds()).allowed).toBe(false);
  });
});
