import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '@nimbus/auth';
import { Config, ConfigError } from '@nimbus/config';
import { ForbiddenError } from '@nimbus/errors';
import {
  generateSampleYaml,
  InvalidScopeError,
  loadServicePolicy,
  osloPolicyOptions,
  PolicyDefaultsError,
  PolicyFileError,
  PolicyNotRegistered,
  personas,
  type RuleDefault,
  type ServicePolicy,
} from '@nimbus/policy';
import { testCredentials } from '@nimbus/testing';
import { afterEach, describe, expect, it } from 'vitest';

// The one policy loader: defaults, the operator's <policy_dir>/<type>.yaml, validation that
// refuses bad files with file:line:rule, reload within 2 s, oslo's scope and new-defaults options.
const defaults: RuleDefault[] = [
  { name: 'context_is_admin', checkStr: 'role:admin', description: 'Admin.' },
  { name: 'default', checkStr: 'rule:context_is_admin', description: 'Default.' },
  {
    name: 'get_thing',
    checkStr: `rule:context_is_admin or (${personas.projectReader})`,
    description: 'Show a thing.',
    scopeTypes: ['project'],
  },
  {
    name: 'modify_thing',
    checkStr: `rule:context_is_admin or (${personas.projectMember})`,
    description: 'Change a thing.',
    scopeTypes: ['project'],
    deprecatedRule: { name: 'modify_thing', checkStr: 'rule:default' },
  },
  {
    name: 'list_all_things',
    checkStr: personas.systemReader,
    description: 'List every thing.',
    scopeTypes: ['system'],
  },
  {
    name: 'thing:create',
    checkStr: personas.projectMember,
    description: 'Create a thing.',
    scopeTypes: ['project'],
    deprecatedRule: { name: 'create_thing', checkStr: 'rule:default' },
  },
];

const caller = (roles: string[], scope: Partial<Credentials> = { projectId: 'p1' }): Credentials =>
  testCredentials({
    userId: 'u1',
    userName: 'u1',
    roles,
    expiresAt: new Date(Date.now() + 60_000),
    ...scope,
  });
const member = caller(['member', 'reader']);
const own = { project_id: 'p1' };

interface Logged {
  level: string;
  msg: string;
}

describe('loadServicePolicy', () => {
  const open: ServicePolicy[] = [];
  let dataDir = '';
  let logged: Logged[] = [];
  const logger = {
    debug: () => {},
    info: (_o: object, msg: string) => logged.push({ level: 'info', msg }),
    warn: (_o: object, msg: string) => logged.push({ level: 'warn', msg }),
    error: (_o: object, msg: string) => logged.push({ level: 'error', msg }),
  };
  const load = (opts: Record<string, unknown> = {}, extra: { strict?: boolean; pollMs?: number } = {}) => {
    const config = Config.load({ groups: [osloPolicyOptions], overrides: { oslo_policy: opts } });
    const p = loadServicePolicy({ serviceType: 'thing', defaults, config, dataDir, logger, ...extra });
    open.push(p);
    return p;
  };
  const policyFile = (text: string, name = 'thing.yaml') => {
    mkdirSync(join(dataDir, 'policy'), { recursive: true });
    const path = join(dataDir, 'policy', name);
    // Written aside and renamed, as careful editors and configuration tools do.
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    return path;
  };
  const fresh = () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nimbus-policy-'));
    logged = [];
  };
  afterEach(() => {
    for (const p of open.splice(0)) p.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('enforces the defaults when no file exists', () => {
    fresh();
    const p = load();
    expect(p.allowed('get_thing', own, member)).toBe(true);
    expect(p.allowed('get_thing', { project_id: 'p2' }, member)).toBe(false);
    expect(() => p.authorize('list_all_things', {}, member)).toThrow(ForbiddenError);
    expect(p.allowed('list_all_things', {}, caller(['reader'], { systemScope: 'all' }))).toBe(true);
  });

  it('reads <policy_dir>/<service type>.yaml, and JSON too', () => {
    fresh();
    policyFile('"get_thing": "role:admin"\n');
    expect(load().allowed('get_thing', own, member)).toBe(false);
    rmSync(join(dataDir, 'policy', 'thing.yaml'));
    policyFile('{\n  "get_thing": "role:member"\n}\n', 'thing.json');
    expect(load().allowed('get_thing', { project_id: 'p9' }, member)).toBe(true);
    policyFile('"get_thing": "!"\n', 'other.yaml');
    expect(
      load({ policy_dir: join(dataDir, 'policy') }).allowed('get_thing', { project_id: 'p9' }, member),
    ).toBe(true);
  });

  it('refuses bad files at start-up with the file, the line and the rule', () => {
    fresh();
    const cases: [string, RegExp][] = [
      [
        '"get_thing": "role:member"\n"modify_thing": "role:admin and ("\n',
        /thing\.yaml:2: rule "modify_thing": bad check string/,
      ],
      ['"get_thing": "role:member"\n"get_thing": "role:admin"\n', /thing\.yaml:2: not valid YAML or JSON/],
      ['"get_thing": "role:member\n', /thing\.yaml:2: not valid YAML or JSON: Missing closing/],
      [
        '# c\n"get_thing": "role:member"\n"get_thnig": "role:admin"\n',
        /thing\.yaml:3: rule "get_thnig": is not a rule of this service/,
      ],
      [
        '"get_thing": "role:member"\n"default": "rule:default"\n',
        /thing\.yaml:2: rule "default": refers to itself/,
      ],
      [
        '"get_thing": "rule:a"\n"a": "rule:b"\n"b": "rule:get_thing"\n',
        /thing\.yaml:1: rule "get_thing": is part of a cycle: get_thing -> a -> b -> get_thing/,
      ],
      [
        '"get_thing": "rule:admin_or_owner"\n',
        /thing\.yaml:1: rule "get_thing": refers to rule:admin_or_owner, which is not defined/,
      ],
      ['"get_thing": 3\n', /thing\.yaml:1: rule "get_thing": the check must be a string/],
      ['- get_thing\n', /thing\.yaml:1: a policy file maps rule names/],
    ];
    for (const [text, message] of cases) {
      policyFile(text);
      let error: unknown;
      try {
        load();
      } catch (err) {
        error = err;
      }
      expect(error, text).toBeInstanceOf(PolicyFileError);
      expect(error, text).toBeInstanceOf(ConfigError);
      expect((error as Error).message, text).toMatch(message);
    }
  });

  it('accepts aliases that other rules refer to, and deprecated names', () => {
    fresh();
    policyFile(
      '"owner": "project_id:%(project_id)s"\n"get_thing": "rule:owner"\n"create_thing": "role:creator"\n',
    );
    const p = load();
    expect(p.allowed('get_thing', own, caller([]))).toBe(true);
    // A renamed rule: the override of its deprecated name carries over to the new name.
    expect(p.allowed('thing:create', own, caller(['creator']))).toBe(true);
    expect(p.allowed('thing:create', own, member)).toBe(false);
  });

  it('reloads a changed file within 2 seconds, without a restart', async () => {
    fresh();
    policyFile('"get_thing": "role:member"\n');
    const p = load({}, { pollMs: 1000 });
    expect(p.allowed('get_thing', own, member)).toBe(true);
    const started = performance.now();
    policyFile('"get_thing": "role:admin"\n');
    while (p.allowed('get_thing', own, member) && performance.now() - started < 3000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    expect(p.allowed('get_thing', own, member)).toBe(false);
    expect(seconds).toBeLessThan(2);
    expect(logged.some((l) => l.level === 'info' && l.msg.includes('policy reloaded'))).toBe(true);
  });

  it('notices a policy directory created after start-up (the polling fallback) within 2 seconds', async () => {
    fresh();
    const p = load();
    expect(p.allowed('get_thing', own, member)).toBe(true);
    const started = performance.now();
    policyFile('"get_thing": "role:admin"\n');
    while (p.allowed('get_thing', own, member) && performance.now() - started < 3000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(p.allowed('get_thing', own, member)).toBe(false);
    expect((performance.now() - started) / 1000).toBeLessThan(2);
  });

  it('refuses a bad reload and keeps the previous policy (never opens up)', async () => {
    fresh();
    policyFile('"get_thing": "role:admin"\n');
    const p = load({}, { pollMs: 200 });
    expect(p.allowed('get_thing', own, member)).toBe(false);
    policyFile('"get_thing": "role:member"\n"get_thing_typo": "@"\n');
    const started = performance.now();
    while (!p.lastError && performance.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
    expect(p.lastError).toBeInstanceOf(PolicyFileError);
    expect(p.allowed('get_thing', own, member)).toBe(false);
    expect(logged.find((l) => l.level === 'error')?.msg).toMatch(
      /reload refused.*thing\.yaml:2: rule "get_thing_typo"/,
    );
    // Fixed: taken up.
    policyFile('"get_thing": "role:member"\n');
    expect(p.reload().status).toMatch(/reloaded|unchanged/);
    expect(p.allowed('get_thing', own, member)).toBe(true);
    expect(p.lastError).toBeUndefined();
  });

  it('ORs deprecated rules in until enforce_new_defaults', () => {
    fresh();
    const admin = caller(['admin', 'member', 'reader'], { projectId: 'p2' });
    // Deprecated rule:default (admin) OR-ed with the new project-member rule.
    expect(load().allowed('modify_thing', own, admin)).toBe(true);
    expect(load().allowed('modify_thing', own, member)).toBe(true);
    expect(load({ enforce_new_defaults: true }).allowed('modify_thing', own, caller(['reader']))).toBe(false);
    expect(load({ enforce_new_defaults: true }).allowed('thing:create', own, admin)).toBe(false);
    expect(load({ enforce_new_defaults: false }).allowed('thing:create', own, admin)).toBe(true);
  });

  it('checks system, domain and project scope when enforce_scope is on, and only logs when off', () => {
    fresh();
    const sysAdmin = caller(['admin', 'member', 'reader'], { systemScope: 'all' });
    const domainAdmin = caller(['admin', 'member', 'reader'], { domainId: 'd1' });
    const strict = load({ enforce_scope: true });
    expect(() => strict.authorize('get_thing', own, sysAdmin)).toThrow(InvalidScopeError);
    expect(() => strict.authorize('get_thing', own, domainAdmin)).toThrow(
      'get_thing cannot be performed with a domain-scoped token.',
    );
    expect(strict.allowed('get_thing', own, domainAdmin)).toBe(false);
    expect(strict.allowed('list_all_things', {}, sysAdmin)).toBe(true);
    expect(strict.allowed('list_all_things', {}, member)).toBe(false);
    // Unscoped tokens count as project-scoped, as in oslo.policy.
    expect(strict.allowed('get_thing', own, caller(['admin'], {}))).toBe(true);
    logged = [];
    const lax = load();
    expect(lax.allowed('get_thing', own, sysAdmin)).toBe(true);
    expect(lax.allowed('get_thing', own, sysAdmin)).toBe(true);
    expect(logged.filter((l) => l.level === 'warn' && l.msg.includes('failed its scope check'))).toHaveLength(
      1,
    );
  });

  it('fails loudly on an unregistered rule name in tests, and logs and denies in production', () => {
    fresh();
    expect(() => load().authorize('get_thnig', own, member)).toThrow(PolicyNotRegistered);
    expect(() => load().allowed('get_thnig', own, member)).toThrow(PolicyNotRegistered);
    logged = [];
    const prod = load({}, { strict: false });
    expect(() => prod.authorize('get_thnig', own, member)).toThrow(ForbiddenError);
    expect(prod.allowed('get_thnig', own, member)).toBe(false);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      'Policy get_thnig has not been registered: a programming error; the request is denied',
      'Policy get_thnig has not been registered: a programming error; the request is denied',
    ]);
  });

  it('refuses defaults that refer to undefined rules or loop', () => {
    fresh();
    const config = Config.load({ groups: [osloPolicyOptions] });
    const bad = (checkStr: string) => () =>
      loadServicePolicy({
        serviceType: 'x',
        defaults: [{ name: 'a', checkStr, description: 'a' }],
        config,
        dataDir,
        logger,
        watch: false,
      });
    expect(bad('rule:nope')).toThrow(PolicyDefaultsError);
    expect(bad('role:x or rule:a')).toThrow(/refers to itself/);
  });

  it('writes a sample that reads back as a valid, empty policy file', () => {
    fresh();
    const sample = generateSampleYaml(defaults, 'thing policy');
    expect(sample).toContain(
      '#"modify_thing": "rule:context_is_admin or (role:member and project_id:%(project_id)s)"',
    );
    expect(sample).toContain('# "create_thing":"rule:default" is deprecated in favor of');
    expect(sample).toContain('# Intended scope(s): project');
    policyFile(sample);
    expect(load().allowed('get_thing', own, member)).toBe(true);
    // Uncommenting a line overrides that rule.
    policyFile(
      sample.replace('#"get_thing":', '"get_thing":').replace(/"get_thing": "[^\n]*"/, '"get_thing": "!"'),
    );
    expect(load().allowed('get_thing', own, member)).toBe(false);
  });
});
