import type { Constraints } from '../common/constraints';
import type { ContainerAcls, SwiftRequest, SwiftResponse } from '../common/swift-http';
import { parseAccountAcl } from '../middleware/account-acl';
import { IGNORE_RANGE_HEADER } from '../middleware/segments';
import type { Backend } from './backend';
import type { InfoCache } from './container-info';

/** What every proxy controller uses. */
export interface ProxyContext {
  backend: Backend;
  info: InfoCache;
  constraints: Constraints;
  /** Accounts are created on first write, as with keystoneauth (`account_autocreate`). */
  accountAutocreate: boolean;
  /** Seconds per `.expiring_objects` container. */
  expiringDivisor: number;
}

/**
 * Asks the auth middleware whether the caller may do this: first as owner or admin, then with
 * the container's ACLs when there is a container to read them from.
 */
export async function authorize(
  ctx: ProxyContext,
  req: SwiftRequest,
  account: string,
  container?: string,
): Promise<SwiftResponse | undefined> {
  if (req.env.preAuthorized || !req.env.authorize) return undefined;
  const denied = req.env.authorize(req);
  if (!denied) return undefined;
  const accountInfo = await ctx.info.account(account);
  const acls: ContainerAcls = { account: parseAccountAcl(accountInfo.sysmeta['core-access-control']) };
  if (container !== undefined) {
    const info = await ctx.info.container(account, container);
    acls.read = info.read_acl;
    acls.write = info.write_acl;
  }
  if (!acls.account && container === undefined) return denied;
  return req.env.authorize(req, acls);
}

/** Request headers copied to storage nodes for reads. */
export function readHeaders(req: SwiftRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [
    'range',
    'if-match',
    'if-none-match',
    'if-modified-since',
    'if-unmodified-since',
    'x-newest',
    IGNORE_RANGE_HEADER,
  ])
    if (req.headers[k] !== undefined) out[k] = req.headers[k]!;
  return out;
}
