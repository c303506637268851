import { type Credentials, scopeOf, toPolicyCredentials } from '@nimbus/auth';
import { ForbiddenError } from '@nimbus/errors';
import type { PolicyEnforcer, PolicyLogger } from './policy-enforcer';
import { InvalidScopeError, PolicyNotRegistered } from './policy-errors';

/** Builds the `creds` dictionary a service's rules read from the caller's credentials. */
export type PolicyCredentialsMapper = (credentials: Credentials) => Record<string, unknown>;

/** Completes the target a rule reads (Neutron adds `tenant_id` beside `project_id`); returns a new object. */
export type PolicyTargetMapper = (target: Record<string, unknown>) => Record<string, unknown>;

/** How the adapter behaves. */
export interface PolicyCheckOptions {
  /** The service's view of the credentials; default keystonemiddleware's (toPolicyCredentials). */
  credentials?: PolicyCredentialsMapper;
  /** The service's view of the target; default the target as the controller gave it. */
  target?: PolicyTargetMapper;
  /**
   * What an unregistered rule name does. `true` (under test runners): PolicyNotRegistered is thrown
   * from `authorize` and `allowed` alike, so a misspelt name fails the test. `false`: logged at
   * error level and denied. Default: true when NODE_ENV is `test` or VITEST is set.
   */
  strict?: boolean;
  logger?: PolicyLogger;
}

/** The policy checks an HTTP service makes (structurally @nimbus/http's PolicyCheck). */
export interface ServicePolicyCheck {
  /** Throws ForbiddenError (403) when denied. */
  authorize(action: string, target: Record<string, unknown>, credentials: Credentials): void;
  /** Answers without throwing for a denial or a scope mismatch. */
  allowed(action: string, target: Record<string, unknown>, credentials: Credentials): boolean;
}

/** True when running under a test runner: unregistered rule names then throw. */
export function strictByDefault(): boolean {
  return process.env.NODE_ENV === 'test' || Boolean(process.env.VITEST);
}

/**
 * The one adapter from an enforcer to the HTTP layer: maps credentials as the service's rules
 * expect and scopes as oslo.policy does. `enforcer` may be a function so a reloaded policy is
 * picked up on the next check.
 */
export function policyCheck(
  enforcer: PolicyEnforcer | (() => PolicyEnforcer),
  options: PolicyCheckOptions = {},
): ServicePolicyCheck {
  const current = typeof enforcer === 'function' ? enforcer : () => enforcer;
  const toCreds = options.credentials ?? toPolicyCredentials;
  const toTarget = options.target ?? ((t: Record<string, unknown>) => t);
  const strict = options.strict ?? strictByDefault();
  const unregistered = (err: PolicyNotRegistered): never => {
    if (strict) throw err;
    options.logger?.error?.(
      { action: err.action },
      `${err.message}: a programming error; the request is denied`,
    );
    throw new ForbiddenError(`Policy doesn't allow ${err.action} to be performed.`, {
      code: 'POLICY_DENIED',
    });
  };
  return {
    authorize(action, target, credentials) {
      try {
        current().authorize(action, toTarget(target), toCreds(credentials), scopeOf(credentials));
      } catch (err) {
        if (err instanceof PolicyNotRegistered) unregistered(err);
        throw err;
      }
    },
    allowed(action, target, credentials) {
      try {
        return current().enforce(action, toTarget(target), toCreds(credentials), scopeOf(credentials))
          .allowed;
      } catch (err) {
        if (err instanceof InvalidScopeError) return false;
        if (err instanceof PolicyNotRegistered) {
          try {
            unregistered(err);
          } catch (denied) {
            if (denied instanceof ForbiddenError) return false;
            throw denied;
          }
        }
        throw err;
      }
    },
  };
}
