import { type CheckKind, PolicySyntaxError, pyStr } from '@nimbus/policy';

/**
 * Neutron's `field:<collection>:<attribute>=<value>` check (registered as oslo.policy's `field`
 * kind): true when the target's attribute equals the value, compared as Python's str() of it
 * (`shared=True`), or, for `=~<regex>`, when the regex matches at the start of the attribute (as
 * `re.match`). A missing attribute fails the check. Throws PolicySyntaxError for a malformed match,
 * so an operator's bad rule is refused at its line.
 */
export const neutronFieldCheck: CheckKind = (match) => {
  const parsed = /^([a-z_]+):([^=]+)=(~?)(.+)$/.exec(match);
  if (!parsed) throw new PolicySyntaxError(`field:${match} is not field:<collection>:<attribute>=<value>`);
  const [, , attribute, tilde, value] = parsed as unknown as [string, string, string, string, string];
  if (tilde) {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${value})`);
    } catch (err) {
      throw new PolicySyntaxError(`field:${match}: bad regular expression: ${(err as Error).message}`);
    }
    return ({ target }) => {
      const actual = target[attribute];
      return typeof actual === 'string' && regex.test(actual);
    };
  }
  return ({ target }) => {
    const actual = target[attribute];
    return actual !== undefined && actual !== null && pyStr(actual) === value;
  };
};
