import { errorResponse, type Middleware } from '../common/swift-http';
import type { InfoCache } from '../proxy/container-info';
import { parseSwiftPath } from '../proxy/swift-path';

const isInt = (v: string) => /^-?\d+$/.test(v.trim());

/**
 * Container quotas: `X-Container-Meta-Quota-Bytes` and `-Quota-Count` must be integers, and an
 * upload that would take the container past either answers 413.
 */
export function containerQuotas(info: InfoCache): Middleware {
  return (next) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p || p.container === undefined) return next(req);
    if (p.object === undefined && (req.method === 'PUT' || req.method === 'POST')) {
      for (const h of ['x-container-meta-quota-bytes', 'x-container-meta-quota-count']) {
        if (req.headers[h] !== undefined && req.headers[h] !== '' && !isInt(req.headers[h]!))
          return errorResponse(400, 'Invalid quota value');
      }
      return next(req);
    }
    if (p.object !== undefined && req.method === 'PUT' && !req.headers['x-copy-from']) {
      const c = await info.container(p.account, p.container);
      const quotaBytes = c.meta['quota-bytes'];
      const quotaCount = c.meta['quota-count'];
      const length = Number(req.headers['content-length'] ?? 0);
      if (quotaBytes !== undefined && isInt(quotaBytes) && c.bytes + length > Number(quotaBytes))
        return errorResponse(413, 'Upload exceeds quota.');
      if (quotaCount !== undefined && isInt(quotaCount) && c.object_count + 1 > Number(quotaCount))
        return errorResponse(413, 'Upload exceeds quota.');
    }
    return next(req);
  };
}

/**
 * Account quotas: only a reseller admin may set `X-Account-Meta-Quota-Bytes`; an upload that
 * would take the account past it answers 413.
 */
export function accountQuotas(info: InfoCache): Middleware {
  return (next) => async (req) => {
    const p = parseSwiftPath(req.path);
    if (!p) return next(req);
    if (p.container === undefined && (req.method === 'POST' || req.method === 'PUT')) {
      const touches =
        req.headers['x-account-meta-quota-bytes'] !== undefined ||
        req.headers['x-remove-account-meta-quota-bytes'] !== undefined;
      if (!touches) return next(req);
      if (req.env.authorize) req.env.authorize(req);
      if (!req.env.resellerRequest) return errorResponse(403);
      const v = req.headers['x-account-meta-quota-bytes'];
      if (v !== undefined && v !== '' && !isInt(v)) return errorResponse(400, 'Invalid quota value');
      return next(req);
    }
    if (p.object !== undefined && req.method === 'PUT' && !req.headers['x-copy-from']) {
      const a = await info.account(p.account);
      const quota = a.meta['quota-bytes'];
      const length = Number(req.headers['content-length'] ?? 0);
      if (quota !== undefined && isInt(quota) && a.bytes + length > Number(quota))
        return errorResponse(413, 'Upload exceeds quota.');
    }
    return next(req);
  };
}
