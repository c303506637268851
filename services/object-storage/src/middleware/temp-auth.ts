import { randomBytes } from 'node:crypto';
import type { Logger } from '@nimbus/logging';
import {
  type ContainerAcls,
  errorResponse,
  type Middleware,
  response,
  type SwiftRequest,
  type SwiftResponse,
} from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { containerAclAllows } from './acl';

interface TempAuthUser {
  account: string;
  user: string;
  key: string;
  groups: string[];
}

/** Parses `account:user:key[:group ...]` entries. */
export function parseTempAuthUsers(entries: readonly string[]): TempAuthUser[] {
  return entries.map((e) => {
    const [account, user, key, groups] = e.split(':');
    if (!account || !user || key === undefined)
      throw new RangeError(
        `tempauth user must be account:user:key[:groups]: ${e.split(':').slice(0, 2).join(':')}`,
      );
    return { account, user, key, groups: (groups ?? '').split(/\s+/).filter(Boolean) };
  });
}

/**
 * Tempauth, for standalone use without identity: `GET /auth/v1.0` with `X-Auth-User:
 * account:user` and `X-Auth-Key` answers a token and the storage URL; the token owns its account
 * (`.admin` users), reaches every account (`.reseller_admin`), or is held to container ACLs.
 * A request whose token tempauth does not know passes on to keystone.
 */
export function tempAuth(
  entries: readonly string[],
  resellerPrefix: string,
  tokenLife: number,
  log: Logger,
): Middleware {
  const users = parseTempAuthUsers(entries);
  const tokens = new Map<string, { user: TempAuthUser; expires: number }>();

  const authorize = (req: SwiftRequest, acls?: ContainerAcls): SwiftResponse | undefined => {
    const who = req.env.tempauthUser as TempAuthUser | undefined;
    const p = parseSwiftPath(req.path);
    if (!p) return undefined;
    if (who) {
      if (who.groups.includes('.reseller_admin')) {
        req.env.resellerRequest = true;
        req.env.swiftOwner = true;
        return undefined;
      }
      if (p.account === `${resellerPrefix}${who.account}` && who.groups.includes('.admin')) {
        req.env.swiftOwner = true;
        return undefined;
      }
    }
    const grants = (groups: readonly string[]) =>
      !!who &&
      groups.some(
        (g) =>
          g === `${who.account}:${who.user}` || g === who.account || g === '*' || g === `${who.account}:*`,
      );
    if (acls && p.container !== undefined && containerAclAllows(req, acls, p.object !== undefined, grants))
      return undefined;
    return who ? errorResponse(403) : errorResponse(401);
  };

  return (next) => async (req) => {
    if (req.path === '/auth/v1.0' || req.path === '/v1.0' || req.path === '/auth/v1.0/') {
      const [account, user] = (req.headers['x-auth-user'] ?? req.headers['x-storage-user'] ?? '').split(':');
      const key = req.headers['x-auth-key'] ?? req.headers['x-storage-pass'];
      const found = users.find((u) => u.account === account && u.user === user && u.key === key);
      if (!found) return errorResponse(401);
      const token = `AUTH_tk${randomBytes(16).toString('hex')}`;
      tokens.set(token, { user: found, expires: Date.now() + tokenLife * 1000 });
      const host = req.headers.host ?? '127.0.0.1:8080';
      const url = `http://${host}/v1/${resellerPrefix}${found.account}`;
      log.debug({ account, user }, 'tempauth token issued');
      return response(200, '', {
        'x-auth-token': token,
        'x-storage-token': token,
        'x-storage-url': url,
        'x-auth-token-expires': String(tokenLife),
      });
    }
    const token = req.headers['x-auth-token'] ?? req.headers['x-storage-token'];
    const held = token ? tokens.get(token) : undefined;
    if (held && held.expires > Date.now()) {
      req.env.tempauthUser = held.user;
      req.env.remoteUser = `${held.user.account}:${held.user.user}`;
      req.env.authorize = authorize;
    } else if (held) tokens.delete(token!);
    return next(req);
  };
}
