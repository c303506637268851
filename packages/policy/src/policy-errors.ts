import { ConfigError } from '@nimbus/config';
import { ForbiddenError, InternalError } from '@nimbus/errors';

/**
 * A rule name that no default registers was checked: a programming error (oslo's
 * PolicyNotRegistered). Thrown in tests; in production the check logs at error level and denies.
 */
export class PolicyNotRegistered extends InternalError {
  constructor(readonly action: string) {
    super(`Policy ${action} has not been registered`, { code: 'POLICY_NOT_REGISTERED' });
  }
}

/** The token's scope is not one this action accepts (oslo's InvalidScope): 403. */
export class InvalidScopeError extends ForbiddenError {
  constructor(action: string, scope: string) {
    super(`${action} cannot be performed with a ${scope}-scoped token.`, { code: 'POLICY_INVALID_SCOPE' });
  }
}

/**
 * A policy file that cannot be used: bad syntax, a rule nobody registered, an undefined `rule:`
 * alias or a cycle. Stops start-up (a ConfigError); on reload the previous policy stays. The
 * message reads `file:line: rule "name": reason`.
 */
export class PolicyFileError extends ConfigError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly rule: string | undefined,
    readonly reason: string,
  ) {
    super(
      `${file}${line !== undefined ? `:${line}` : ''}: ${rule !== undefined ? `rule "${rule}": ` : ''}${reason}`,
    );
  }
}

/** Defaults that contradict themselves (undefined alias, cycle): a programming error in the service. */
export class PolicyDefaultsError extends Error {}
