import { urlQuote } from '@nimbus/http';
import {
  discardBody,
  type Handler,
  type Middleware,
  readBody,
  response,
  type SwiftRequest,
  type SwiftResponse,
  subrequest,
} from '../common/swift-http';
import type { InfoCache } from '../proxy/container-info';
import { parseSwiftPath } from '../proxy/swift-path';

/** Upstream's `_redirect_with_slash`: a 301 to the path plus `/`, URL-quoted as a header needs. */
const redirectWithSlash = (req: SwiftRequest) =>
  response(301, undefined, { location: urlQuote(`${req.path}/`) });

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Static websites from containers: for anonymous GETs (or `X-Web-Mode: true`), a container or
 * pseudo-directory answers its `Web-Index` object, or an HTML listing when `Web-Listings` is on
 * (styled by `Web-Listings-CSS`); a `Web-Error` object answers errors (`404error.html`).
 */
export function staticWeb(info: InfoCache): Middleware {
  return (next, root) => async (req) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.env.source === 'SW') return next(req);
    const p = parseSwiftPath(req.path);
    if (!p || p.container === undefined) return next(req);
    const webMode = (req.headers['x-web-mode'] ?? '').toLowerCase() === 'true';
    if (!webMode && (req.env.credentials || req.headers['x-auth-token'])) return next(req);
    const c = await info.container(p.account, p.container);
    const index = c.meta['web-index'];
    const listings = ['true', 'yes', '1', 'on'].includes((c.meta['web-listings'] ?? '').toLowerCase());
    const error = c.meta['web-error'];
    if (c.status !== 204 && c.status !== 200) return next(req);
    if (!index && !listings && !error) return next(req);
    const dir = p.object === undefined ? '' : p.object.endsWith('/') ? p.object : undefined;
    const base = `/${p.version}/${p.account}/${p.container}`;
    if (dir === undefined) {
      const res = await next(req);
      if (res.status === 404 && (index || listings)) {
        discardBody(res.body);
        const children = await listDir(req, root(), base, `${p.object}/`, 1);
        if (children.length) return redirectWithSlash(req);
      }
      if (res.status >= 400 && error) return errorPage(req, root(), base, res, error);
      return res;
    }
    if (p.object === undefined && !req.path.endsWith('/')) return redirectWithSlash(req);
    if (index) {
      const idx = await root()(subrequest(req, req.method, `${base}/${dir}${index}`, {}, undefined, 'SW'));
      if (idx.status === 200) return idx;
      discardBody(idx.body);
    }
    if (listings) return listingPage(req, root(), base, dir, c.meta['web-listings-css']);
    const res = { status: 404, headers: {} } as SwiftResponse;
    return error ? errorPage(req, root(), base, res, error) : next(req);
  };
}

async function listDir(
  req: SwiftRequest,
  root: Handler,
  base: string,
  prefix: string,
  limit = 10_000,
): Promise<Record<string, unknown>[]> {
  const list = subrequest(req, 'GET', base, {}, undefined, 'SW');
  list.query = new URLSearchParams({ format: 'json', prefix, delimiter: '/', limit: String(limit) });
  list.env.preAuthorized = true;
  const res = await root(list);
  if (res.status !== 200) {
    discardBody(res.body);
    return [];
  }
  return JSON.parse((await readBody(res.body)).toString('utf8')) as Record<string, unknown>[];
}

async function listingPage(
  req: SwiftRequest,
  root: Handler,
  base: string,
  dir: string,
  css: string | undefined,
): Promise<SwiftResponse> {
  const rows = await listDir(req, root, base, dir);
  if (rows.length === 0 && dir)
    return response(404, '<html><h1>Not Found</h1></html>', { 'content-type': 'text/html; charset=UTF-8' });
  const title = `Listing of ${esc(`${base}/${dir}`)}`;
  const depth = dir.split('/').length - 1;
  const cssHref = css
    ? css.startsWith('/') || css.includes('://')
      ? css
      : `${'../'.repeat(depth)}${css}`
    : undefined;
  const items = rows
    .map((r) => {
      const name = String(r.subdir ?? r.name).slice(dir.length);
      if (r.subdir !== undefined)
        return `   <tr class="item subdir"><td class="colname"><a href="${esc(encodeURI(name))}">${esc(name)}</a></td><td class="colsize">&nbsp;</td><td class="coldate">&nbsp;</td></tr>`;
      return `   <tr class="item"><td class="colname"><a href="${esc(encodeURI(name))}">${esc(name)}</a></td><td class="colsize">${r.bytes} bytes</td><td class="coldate">${esc(String(r.last_modified).slice(0, 19).replace('T', ' '))}</td></tr>`;
    })
    .join('\n');
  const page = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
 <head>
  <title>${title}</title>
${cssHref ? `  <link rel="stylesheet" type="text/css" href="${esc(cssHref)}" />` : '  <style type="text/css">h1 {font-size: 1em; font-weight: bold;} td {padding: 0 1em;}</style>'}
 </head>
 <body>
  <h1 id="title">${title}</h1>
  <table id="listing">
   <tr id="heading"><th class="colname">Name</th><th class="colsize">Size</th><th class="coldate">Date</th></tr>
${dir ? '   <tr id="parent" class="item"><td class="colname"><a href="../">../</a></td><td class="colsize">&nbsp;</td><td class="coldate">&nbsp;</td></tr>\n' : ''}${items}
  </table>
 </body>
</html>
`;
  return response(200, req.method === 'HEAD' ? '' : page, { 'content-type': 'text/html; charset=UTF-8' });
}

async function errorPage(
  req: SwiftRequest,
  root: Handler,
  base: string,
  res: SwiftResponse,
  error: string,
): Promise<SwiftResponse> {
  const page = await root(subrequest(req, 'GET', `${base}/${res.status}${error}`, {}, undefined, 'SW'));
  if (page.status !== 200) {
    discardBody(page.body);
    return res;
  }
  discardBody(res.body);
  return {
    status: res.status,
    headers: { 'content-type': page.headers['content-type'] ?? 'text/html' },
    body: page.body,
  };
}
