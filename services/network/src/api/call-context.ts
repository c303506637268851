import type { Credentials } from '@nimbus/auth';
import type { ApiRequest, PolicyCheck } from '@nimbus/http';
import { NeutronError } from '../manager/network-errors';

/** Who calls and what policy lets them do: what managers and controllers pass around. */
export interface CallContext {
  readonly credentials: Credentials;
  readonly projectId: string | undefined;
  /** `context_is_admin`: sees every project's resources. */
  readonly isAdmin: boolean;
  /** `context_is_advsvc`: acts on other projects' ports. */
  readonly isAdvsvc: boolean;
  /** Whether the action is allowed on the target. */
  allowed(action: string, target: Record<string, unknown>): boolean;
}

/** Builds the call context of a request from the service's policy check. */
export function callContext(req: ApiRequest, policy: PolicyCheck): CallContext {
  const credentials = req.credentials;
  return {
    credentials,
    projectId: credentials.projectId,
    isAdmin: policy.allowed('context_is_admin', {}, credentials),
    isAdvsvc: policy.allowed('context_is_advsvc', {}, credentials),
    allowed: (action, target) => policy.allowed(action, target, credentials),
  };
}

/** A context for the service's own work (default security groups made for a project). */
export function elevated(ctx: CallContext): CallContext {
  return { ...ctx, isAdmin: true, allowed: () => true };
}

/** oslo.policy's PolicyNotAuthorized, as Neutron words it: `rule:<action> is disallowed by policy`. */
export function policyNotAuthorized(actions: readonly string[]): NeutronError {
  const rule =
    actions.length === 1 ? `rule:${actions[0]}` : `(${actions.map((a) => `rule:${a}`).join(' and ')})`;
  return new NeutronError('forbidden', 'PolicyNotAuthorized', `${rule} is disallowed by policy`);
}
