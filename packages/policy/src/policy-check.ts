import { type Credentials, scopeOf, toPolicyCredentials } from '@nimbus/auth';
import type { PolicyEnforcer } from './policy-enforcer';

/** Adapts an enforcer to the HTTP layer's PolicyCheck, mapping credentials as keystonemiddleware does. */
export function policyCheck(enforcer: PolicyEnforcer) {
  return {
    authorize(action: string, target: Record<string, unknown>, credentials: Credentials): void {
      enforcer.authorize(action, target, toPolicyCredentials(credentials), scopeOf(credentials));
    },
    allowed(action: string, target: Record<string, unknown>, credentials: Credentials): boolean {
      try {
        return enforcer.enforce(action, target, toPolicyCredentials(credentials), scopeOf(credentials)).allowed;
      } catch {
        return false;
      }
    },
  };
}
