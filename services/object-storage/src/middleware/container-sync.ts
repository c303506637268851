import { timingSafeEqual } from 'node:crypto';
import { errorResponse, type Middleware } from '../common/swift-http';
import type { InfoCache } from '../proxy/container-info';
import { parseSwiftPath } from '../proxy/swift-path';

/** A sync realm: its clusters' endpoints (`//realm/cluster/account/container`). */
export type SyncRealms = Record<string, Record<string, string>>;

/** Parses `realm:cluster:endpoint` entries (endpoint like `http://host:8080/v1/`). */
export function parseRealms(entries: readonly string[]): SyncRealms {
  const realms: SyncRealms = {};
  for (const e of entries) {
    const m = /^([^:]+):([^:]+):(.+)$/.exec(e.trim());
    if (!m) throw new RangeError(`container sync realm must be realm:cluster:endpoint: ${e}`);
    const realm = m[1]!.toLowerCase();
    realms[realm] ??= {};
    realms[realm]![m[2]!.toLowerCase()] = m[3]!.replace(/\/?$/, '/');
  }
  return realms;
}

/** `/info` entry: realm and cluster names, upper-cased as upstream shows them. */
export function syncInfo(realms: SyncRealms): Record<string, unknown> {
  const out: Record<string, { clusters: Record<string, object> }> = {};
  for (const [r, clusters] of Object.entries(realms))
    out[r.toUpperCase()] = {
      clusters: Object.fromEntries(Object.keys(clusters).map((c) => [c.toUpperCase(), {}])),
    };
  return { realms: out };
}

/** Resolves `X-Container-Sync-To` to a container URL; undefined when the realm or cluster is unknown. */
export function syncTarget(value: string, realms: SyncRealms): string | undefined {
  const m = /^\/\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(value);
  if (m) {
    const endpoint = realms[m[1]!.toLowerCase()]?.[m[2]!.toLowerCase()];
    return endpoint ? `${endpoint}${m[3]}/${m[4]}` : undefined;
  }
  return /^https?:\/\//.test(value) ? value : undefined;
}

/**
 * Container sync's receiving side: a request carrying the destination container's own
 * `X-Container-Sync-Key` is let in without a token, and may keep the source's `X-Timestamp`;
 * a container PUT/POST naming an unknown realm is refused.
 */
export function containerSync(info: InfoCache, realms: SyncRealms): Middleware {
  return (next) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.container === undefined) return next(req);
    const syncTo = req.headers['x-container-sync-to'];
    if (
      p.object === undefined &&
      syncTo &&
      (req.method === 'PUT' || req.method === 'POST') &&
      !syncTarget(syncTo, realms)
    ) {
      return errorResponse(400, `Invalid X-Container-Sync-To format '${syncTo}'`);
    }
    const key = req.headers['x-container-sync-key'];
    if (p.object !== undefined && key) {
      const c = await info.container(p.account, p.container);
      const have = Buffer.from(c.sync_key ?? '');
      const given = Buffer.from(key);
      if (!c.sync_key || have.length !== given.length || !timingSafeEqual(have, given))
        return errorResponse(401);
      req.env.preAuthorized = true;
      req.env.syncAuthorized = true;
      delete req.headers['x-container-sync-key'];
    }
    return next(req);
  };
}
