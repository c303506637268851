import type { Credentials } from '@nimbus/auth';
import type { PersonaCloud } from './persona-cloud';

/** What a request template's functions read: the cloud, what its setup made and who calls. */
export interface RequestScope {
  fx: PersonaCloud;
  /** What `setup` returned (ids of fresh resources), empty without one. */
  made: Record<string, string>;
  /** The persona sending the request (a create's target is the caller's own project). */
  caller: Credentials;
}

/**
 * The HTTP request that exercises one policy rule, as data. The same request is sent once per
 * persona; the persona is allowed or denied as the rule's default, evaluated with `target`, says.
 */
export interface RuleRequest {
  /** The registered rule name, as upstream spells it. */
  rule: string;
  method: string;
  path: string | ((s: RequestScope) => string);
  body?: Record<string, unknown> | string | ((s: RequestScope) => unknown);
  headers?: Record<string, string>;
  /** Makes what the request acts on, fresh for every persona (a delete consumes it); run as an admin. */
  setup?: (fx: PersonaCloud) => Promise<Record<string, string>>;
  /** The target the service checks the rule against (upstream's); `{}` when omitted. */
  target?: (s: RequestScope) => Record<string, unknown>;
  /**
   * Statuses that mean "denied" (default 403); an allowed persona must get none of them. Glance, for
   * one, answers 404 for an image the caller may not see.
   */
  denied?: readonly number[];
}

/** The rule requests of one service and the rules it cannot reach over HTTP. */
export interface ServiceRuleRequests {
  /** Catalog type. */
  service: string;
  requests: readonly RuleRequest[];
  /** Rules no single HTTP request isolates, each with the reason. */
  unreachable: Readonly<Record<string, string>>;
}

/** The value of a field that may be a function of the request scope. */
export function resolve<T>(v: T | ((s: RequestScope) => T), s: RequestScope): T {
  return typeof v === 'function' ? (v as (s: RequestScope) => T)(s) : v;
}

/** Fails with the answer when an admin call during setup does not succeed. */
export async function must(
  call: ReturnType<PersonaCloud['as']>,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<any> {
  const r = await call(method, path, body, headers);
  if (r.status >= 300) throw new Error(`setup ${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
