import { contentDisposition } from '@nimbus/http';
import { errorResponse, type Middleware } from '../common/swift-http';
import type { InfoCache } from '../proxy/container-info';
import { parseSwiftPath } from '../proxy/swift-path';
import { ALLOWED_DIGESTS, parseExpiry, signatureMatches, tempUrlKeys } from './hmac-signature';

export const TEMPURL_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

/** `/info` entry of tempurl. */
export const tempUrlInfo = {
  methods: TEMPURL_METHODS,
  incoming_remove_headers: ['x-timestamp'],
  incoming_allow_headers: [],
  outgoing_remove_headers: ['x-object-meta-*'],
  outgoing_allow_headers: ['x-object-meta-public-*'],
  allowed_digests: [...ALLOWED_DIGESTS],
};

function invalid() {
  return errorResponse(401, 'Temp URL invalid\n', { 'www-authenticate': 'Swift realm="unknown"' });
}

/**
 * TempURL: a request carrying `temp_url_sig` and `temp_url_expires` is let in without a token
 * when the signature is an HMAC of `METHOD\nEXPIRES\nPATH` (or `prefix:` path) under one of the
 * account's or container's keys and has not expired. Downloads get a Content-Disposition.
 */
export function tempUrl(info: InfoCache): Middleware {
  return (next) => async (req) => {
    const sig = req.query.get('temp_url_sig');
    const expiresRaw = req.query.get('temp_url_expires');
    if (sig === null && expiresRaw === null) return next(req);
    const p = parseSwiftPath(req.path);
    if (
      !p ||
      p.container === undefined ||
      (p.object === undefined && req.query.get('temp_url_prefix') === null)
    )
      return invalid();
    if (!TEMPURL_METHODS.includes(req.method)) return invalid();
    const expires = parseExpiry(expiresRaw);
    if (sig === null || expires === undefined || expires < Date.now() / 1000) return invalid();
    const prefix = req.query.get('temp_url_prefix');
    if (prefix !== null && !(p.object ?? '').startsWith(prefix)) return invalid();
    const keys = await tempUrlKeys(info, p.account, p.container);
    if (keys.length === 0) return invalid();
    const path = prefix !== null ? `prefix:/${p.version}/${p.account}/${p.container}/${prefix}` : req.path;
    const ip = req.query.get('temp_url_ip_range');
    const methods = req.method === 'HEAD' ? ['HEAD', 'GET', 'PUT', 'POST'] : [req.method];
    const ok = methods.some((m) =>
      signatureMatches(sig, `${ip !== null ? `ip=${ip}\n` : ''}${m}\n${expiresRaw}\n${path}`, keys),
    );
    if (!ok) return invalid();
    req.env.preAuthorized = true;
    req.env.source = 'TU';
    delete req.headers['x-timestamp'];
    const res = await next(req);
    if ((req.method === 'GET' || req.method === 'HEAD') && res.status >= 200 && res.status < 300) {
      // Upstream's order: the query's `inline`/`filename`, else the object's own disposition,
      // else the object's name. Quoted, so any name makes a valid header.
      const filename = req.query.get('filename');
      const existing = res.headers['content-disposition'];
      const name = (p.object ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
      res.headers['content-disposition'] =
        req.query.get('inline') !== null
          ? filename
            ? contentDisposition('inline', filename)
            : 'inline'
          : filename
            ? contentDisposition('attachment', filename)
            : (existing ?? contentDisposition('attachment', name));
      for (const k of Object.keys(res.headers))
        if (k.startsWith('x-object-meta-') && !k.startsWith('x-object-meta-public-')) delete res.headers[k];
    }
    return res;
  };
}
