import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Credentials } from '@nimbus/auth';
import type { Config } from '@nimbus/config';
import type { CheckKinds } from './checks';
import { effectiveRules } from './effective-rules';
import {
  type PolicyCheckOptions,
  type PolicyCredentialsMapper,
  type PolicyTargetMapper,
  policyCheck,
  type ServicePolicyCheck,
} from './policy-check';
import { PolicyEnforcer, type PolicyLogger } from './policy-enforcer';
import { PolicyFileError } from './policy-errors';
import { type PolicyFileRules, readPolicyFile } from './policy-file';
import { osloPolicyOptions } from './policy-options';
import { PolicyWatcher } from './policy-watcher';
import type { RuleDefault } from './rule-default';
import { validateRules } from './validate-rules';

/** The logger a service policy reports loads, reloads and refusals to (pino-compatible). */
export interface ServicePolicyLogger extends PolicyLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What `loadServicePolicy` needs. */
export interface LoadServicePolicyInput {
  /** Catalog type: the overrides file is `<policy_dir>/<serviceType>.yaml` (or .yml, .json). */
  serviceType: string;
  /** The service's registered defaults (upstream's, as data). */
  defaults: readonly RuleDefault[];
  /** Configuration holding `[oslo_policy]` (osloPolicyOptions must be declared). */
  config: Pick<Config, 'group'>;
  dataDir: string;
  logger: ServicePolicyLogger;
  /** The service's view of the credentials (identity adds Keystone's `token.*`). */
  credentials?: PolicyCredentialsMapper;
  /** The service's view of the target, applied before every check (Neutron adds `tenant_id`). */
  target?: PolicyTargetMapper;
  /**
   * The service's own check kinds, as oslo.policy's `register()` (Neutron's `field:` checks). They
   * apply to the defaults and to the operator's files alike.
   */
  checkKinds?: CheckKinds;
  /** Identity's single file of earlier releases, read under the per-service file. */
  legacyFile?: string;
  /** Rule names other files of the service refer to (accepted in the policy file). */
  knownNames?: readonly string[];
  /** See PolicyCheckOptions.strict. */
  strict?: boolean;
  /** Watch the files and reload on change (default true). */
  watch?: boolean;
  /** Polling period of the watch fallback. */
  pollMs?: number;
}

/** The outcome of a reload. */
export type ReloadResult = { status: 'reloaded' | 'unchanged' } | { status: 'refused'; error: Error };

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * A service's policy: its registered defaults overridden by the operator's file, enforced per
 * `[oslo_policy]`, and reloaded when the file changes. A bad file is refused with a message naming
 * the file, line and rule: at start-up by throwing, on reload by keeping the previous policy.
 */
export class ServicePolicy implements ServicePolicyCheck {
  private current: PolicyEnforcer;
  private loadedText: string;
  private readonly check: ServicePolicyCheck;
  private readonly watcher: PolicyWatcher | undefined;
  /** The error of the last refused reload, cleared by a good one. */
  lastError: Error | undefined;

  /** Loads and validates; throws PolicyFileError for a bad operator file. */
  constructor(
    private readonly input: LoadServicePolicyInput & {
      policyDir: string;
      enforceScope: boolean;
      enforceNewDefaults: boolean;
    },
  ) {
    const first = this.build();
    this.current = first.enforcer;
    this.loadedText = first.text;
    const checkOptions: PolicyCheckOptions = { logger: input.logger };
    if (input.credentials) checkOptions.credentials = input.credentials;
    if (input.target) checkOptions.target = input.target;
    if (input.strict !== undefined) checkOptions.strict = input.strict;
    this.check = policyCheck(() => this.current, checkOptions);
    if (first.files.length)
      input.logger.info({ files: first.files }, `${input.serviceType} policy overrides loaded`);
    if (input.watch !== false) {
      this.watcher = new PolicyWatcher({
        dir: input.policyDir,
        files: this.candidates(),
        onChange: () => this.reload(),
        ...(input.pollMs !== undefined ? { pollMs: input.pollMs } : {}),
      });
    }
  }

  /** `[oslo_policy] enforce_new_defaults` as loaded (Neutron lets admins skip rules while it is off). */
  get enforceNewDefaults(): boolean {
    return this.input.enforceNewDefaults;
  }

  /** The enforcer in force now (replaced on each good reload). */
  get enforcer(): PolicyEnforcer {
    return this.current;
  }

  /** The files this service's policy is read from, present or not, in the order they apply. */
  candidates(): string[] {
    const own = EXTENSIONS.map((ext) => join(this.input.policyDir, `${this.input.serviceType}${ext}`));
    return this.input.legacyFile ? [this.input.legacyFile, ...own] : own;
  }

  /** Throws ForbiddenError (403) when the rule in force denies the caller; see policyCheck. */
  authorize(action: string, target: Record<string, unknown>, credentials: Credentials): void {
    this.check.authorize(action, target, credentials);
  }

  /** Whether the rule in force allows the caller; false on a scope mismatch; see policyCheck. */
  allowed(action: string, target: Record<string, unknown>, credentials: Credentials): boolean {
    return this.check.allowed(action, target, credentials);
  }

  /** Evaluates a check string against the rules in force (see PolicyEnforcer.evaluate). */
  evaluate(checkStr: string, target: Record<string, unknown>, creds: Record<string, unknown>): boolean {
    return this.current.evaluate(checkStr, target, creds);
  }

  /** Re-reads the files now; a bad file is logged at error level and the previous policy kept. */
  reload(): ReloadResult {
    try {
      const next = this.build();
      if (next.text === this.loadedText) return { status: 'unchanged' };
      this.current = next.enforcer;
      this.loadedText = next.text;
      this.lastError = undefined;
      this.input.logger.info({ files: next.files }, `${this.input.serviceType} policy reloaded`);
      return { status: 'reloaded' };
    } catch (err) {
      const error = err as Error;
      this.lastError = error;
      this.input.logger.error(
        { err: error.message },
        `${this.input.serviceType} policy reload refused, the previous policy stays: ${error.message}`,
      );
      return { status: 'refused', error };
    }
  }

  /** Stops watching the files. */
  close(): void {
    this.watcher?.close();
  }

  private build(): { enforcer: PolicyEnforcer; text: string; files: string[] } {
    const files = this.readFiles();
    const overrides: Record<string, string> = {};
    for (const f of files) for (const [name, r] of f.rules) overrides[name] = r.check;
    const { defaults, enforceNewDefaults, enforceScope, logger, knownNames, checkKinds } = this.input;
    validateRules({
      defaults,
      files,
      effective: effectiveRules(defaults, overrides, enforceNewDefaults),
      ...(knownNames ? { knownNames } : {}),
    });
    const enforcer = new PolicyEnforcer({
      defaults,
      overrides,
      enforceScope,
      enforceNewDefaults,
      logger,
      ...(checkKinds ? { checkKinds } : {}),
    });
    const text = JSON.stringify(files.map((f) => [f.path, [...f.rules].map(([n, r]) => [n, r.check])]));
    return { enforcer, text, files: files.map((f) => f.path) };
  }

  private readFiles(): PolicyFileRules[] {
    const present = this.candidates().filter((f) => existsSync(f));
    const own = present.filter((f) => f !== this.input.legacyFile);
    if (own.length > 1) {
      throw new PolicyFileError(
        this.input.policyDir,
        undefined,
        undefined,
        `${own.join(' and ')} both exist; keep one policy file per service`,
      );
    }
    return present.map((f) => readPolicyFile(f, undefined, this.input.checkKinds));
  }
}

/**
 * The one way a service loads its policy: defaults from `defaults`, the operator's
 * `[oslo_policy] policy_dir/<serviceType>.yaml` over them, `enforce_scope` and
 * `enforce_new_defaults` as oslo.policy reads them. Throws PolicyFileError (a ConfigError) when the
 * file is bad, and PolicyDefaultsError when the defaults themselves are.
 */
export function loadServicePolicy(input: LoadServicePolicyInput): ServicePolicy {
  const o = input.config.group(osloPolicyOptions);
  return new ServicePolicy({
    ...input,
    policyDir: resolve(input.dataDir, o.policy_dir),
    enforceScope: o.enforce_scope,
    enforceNewDefaults: o.enforce_new_defaults,
  });
}
