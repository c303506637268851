import { createHash } from 'node:crypto';
import { discardBody, type Middleware, readBody, subrequest } from '../common/swift-http';
import { parseSwiftPath } from '../proxy/swift-path';
import { manifestsWhole, type Segment, segmentedResponse } from './segments';

/** `/info` entry of dlo. */
export const dloInfo = { max_segments: 10_000 };

/**
 * Dynamic large objects: a GET or HEAD of an object with `X-Object-Manifest: <container>/<prefix>`
 * answers the concatenation of every object listed under that prefix, in name order, with the
 * quoted MD5 of their ETags. `?multipart-manifest=get` answers the manifest itself.
 */
export function dynamicLargeObject(): Middleware {
  return (next, root) => async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next(req);
    const p = parseSwiftPath(req.path);
    if (!p || p.object === undefined || req.query.get('multipart-manifest') === 'get') return next(req);
    const res = await next(manifestsWhole(req));
    const manifest = res.headers['x-object-manifest'];
    if (!manifest || (res.status !== 200 && res.status !== 206) || res.headers['x-static-large-object'])
      return res;
    discardBody(res.body);
    let decoded = manifest;
    try {
      decoded = decodeURIComponent(manifest);
    } catch {}
    const slash = decoded.indexOf('/');
    const container = slash < 0 ? decoded : decoded.slice(0, slash);
    const prefix = slash < 0 ? '' : decoded.slice(slash + 1);
    const segments: Segment[] = [];
    const md5 = createHash('md5');
    let marker = '';
    for (;;) {
      const list = subrequest(req, 'GET', `/${p.version}/${p.account}/${container}`, {}, undefined, 'DLO');
      list.query = new URLSearchParams({ format: 'json', prefix, marker });
      const lr = await root()(list);
      if (lr.status === 204) break;
      if (lr.status !== 200) {
        discardBody(lr.body);
        break;
      }
      const rows = JSON.parse((await readBody(lr.body)).toString('utf8')) as {
        name: string;
        hash: string;
        bytes: number;
      }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        md5.update(r.hash);
        if (r.bytes > 0)
          segments.push({
            path: `/${p.version}/${p.account}/${container}/${r.name}`,
            start: 0,
            end: r.bytes - 1,
          });
      }
      marker = rows[rows.length - 1]!.name;
      if (segments.length > dloInfo.max_segments) break;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (!['content-length', 'content-range', 'etag'].includes(k)) headers[k] = v;
    headers.etag = `"${md5.digest('hex')}"`;
    return segmentedResponse(req, root(), segments, headers, 'DLO');
  };
}
