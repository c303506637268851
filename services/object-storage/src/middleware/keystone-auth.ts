import type { Credentials, TokenValidator } from '@nimbus/auth';
import type { Logger } from '@nimbus/logging';
import {
  type ContainerAcls,
  errorResponse,
  type Middleware,
  type SwiftRequest,
  type SwiftResponse,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { accountAccess } from './account-acl';
import { containerAclAllows } from './acl';

/** Keystone-backed authorization settings (upstream's `[filter:keystoneauth]`). */
export interface KeystoneAuthOptions {
  resellerPrefix: string;
  operatorRoles: string[];
  resellerAdminRole: string;
}

/** Whether a keystone user matches one ACL entry (`project:user`, `*:user`, `project:*`, a role name). */
function aclGrants(groups: readonly string[], c: Credentials): boolean {
  for (const g of groups) {
    const colon = g.indexOf(':');
    if (colon < 0) {
      if (c.roles.some((r) => r.toLowerCase() === g.toLowerCase())) return true;
      continue;
    }
    const p = g.slice(0, colon);
    const u = g.slice(colon + 1);
    const projectHit =
      p === '*' || p === c.projectId || (p === c.projectName && c.projectDomainId === 'default');
    const userHit = u === '*' || u === c.userId || (u === c.userName && c.userDomainId === 'default');
    if (projectHit && userHit) return true;
  }
  return false;
}

/**
 * Keystone authentication and authorization (authtoken with `delay_auth_decision`, then
 * keystoneauth): a valid token's project owns `AUTH_<project_id>` when the user holds an
 * operator role; the reseller admin role reaches every account; others need the container's
 * ACLs; anonymous requests only pass referrer ACLs. Denials are 401 without a user, 403 with one.
 */
export function keystoneAuth(
  validator: TokenValidator,
  options: KeystoneAuthOptions,
  log: Logger,
): Middleware {
  const operator = new Set(options.operatorRoles.map((r) => r.toLowerCase()));
  const reseller = options.resellerAdminRole.toLowerCase();

  const authorize = (req: SwiftRequest, acls?: ContainerAcls): SwiftResponse | undefined => {
    const c = req.env.credentials;
    const p = parseSwiftPath(req.path);
    if (!p) return undefined;
    if (c) {
      const roles = c.roles.map((r) => r.toLowerCase());
      if (roles.includes(reseller)) {
        req.env.resellerRequest = true;
        req.env.swiftOwner = true;
        return undefined;
      }
      if (p.account === `${options.resellerPrefix}${c.projectId}` && roles.some((r) => operator.has(r))) {
        req.env.swiftOwner = true;
        return undefined;
      }
    }
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (c && acls?.account) {
      const level = accountAccess(acls.account, (entry) => entry === c.userId || aclGrants([entry], c));
      if (level === 'admin') {
        req.env.swiftOwner = true;
        return undefined;
      }
      // read-write reaches every container and object, never the account's own settings.
      if (level === 'read-write' && (read || p.container !== undefined)) return undefined;
      if (level === 'read-only' && read) return undefined;
    }
    if (
      acls &&
      p.container !== undefined &&
      containerAclAllows(req, acls, p.object !== undefined, (groups) => !!c && aclGrants(groups, c))
    ) {
      return undefined;
    }
    return c
      ? errorResponse(403)
      : errorResponse(401, undefined, { 'www-authenticate': 'Keystone uri="identity"' });
  };

  return (next) => async (req) => {
    if (!req.env.credentials && !req.env.preAuthorized) {
      const token = req.headers['x-auth-token'] ?? req.headers['x-storage-token'];
      if (token) {
        try {
          req.env.credentials = await validator.validate(token);
        } catch (err) {
          log.debug({ err }, 'token refused; continuing as anonymous');
        }
      }
    }
    if (!req.env.authorize) req.env.authorize = authorize;
    return next(req);
  };
}
