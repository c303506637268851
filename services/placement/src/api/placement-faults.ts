import { STATUS_CODES } from 'node:http';
import type { FaultRenderer, RenderedFault } from '@nimbus/http';

/** WebOb's explanation of each status, which upstream's error details begin with. */
const EXPLANATIONS: Record<number, string> = {
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  401: 'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  405: 'The method {method} is not allowed for this resource.',
  406: 'The server could not generate a response acceptable to your client.',
  409: 'There was a conflict when trying to complete your request.',
  413: 'The request is larger than the server is willing or able to process.',
  415: 'The request media type {type} is not supported by this server.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
  501: 'The server does not support the functionality required to fulfill the request.',
  503: 'The server is currently unavailable. Please try again at a later time.',
};

/** What one Placement error answer is made of. */
export interface PlacementFault {
  status: number;
  /** The specific message (WebOb's `detail`); empty when the explanation says it all. */
  message: string;
  requestId: string;
  /** Placement error code; rendered from microversion 1.23. */
  code: string;
  /** Whether `code` belongs in the body (the request's microversion is at least 1.23). */
  withCode: boolean;
  /** Supported range, for a 406 caused by the microversion header. */
  range?: { min: string; max: string };
  accept: string | undefined;
  /** The request's method and content type, which WebOb's 405 and 415 explanations name. */
  method?: string;
  contentType?: string;
}

type Format = 'html' | 'json' | 'plain';

/**
 * WebOb's choice: text/html or application/json when the Accept header allows them (html first,
 * and an absent header allows both), otherwise text/plain.
 */
export function errorFormat(accept: string | undefined): Format {
  if (!accept) return 'html';
  const offers = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const allows = (want: string) =>
    offers.some(
      (o) => o.q > 0 && (o.type === want || o.type === '*/*' || o.type === `${want.split('/')[0]}/*`),
    );
  if (allows('text/html')) return 'html';
  if (allows('application/json')) return 'json';
  return 'plain';
}

/**
 * Renders an error as Placement does: the API-WG body `{"errors": [{status, title, detail,
 * request_id, code?}]}` for JSON clients (with `min_version`/`max_version` when the microversion
 * header itself was refused), WebOb's HTML or plain-text page for the others.
 */
export function renderPlacementFault(f: PlacementFault): RenderedFault {
  const title = STATUS_CODES[f.status] ?? 'Error';
  const explanation = (EXPLANATIONS[f.status] ?? '')
    .replace('{method}', f.method ?? '')
    .replace('{type}', f.contentType ?? '');
  const format = errorFormat(f.accept);
  if (format === 'json') {
    const error: Record<string, unknown> = {
      status: f.status,
      title,
      detail: `${explanation}\n\n ${f.message} `,
    };
    if (f.withCode) error.code = f.code;
    error.request_id = f.requestId;
    if (f.range) {
      error.max_version = f.range.max;
      error.min_version = f.range.min;
    }
    return { contentType: 'application/json', body: JSON.stringify({ errors: [error] }) };
  }
  const statusLine = `${f.status} ${title}`;
  if (format === 'plain') {
    return {
      contentType: 'text/plain; charset=UTF-8',
      body: `${statusLine}\n\n${explanation}\n\n${f.message}\n\n`,
    };
  }
  return {
    contentType: 'text/html; charset=UTF-8',
    body: `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${escapeHtml(explanation)}<br /><br />\n${escapeHtml(f.message)}\n\n\n </body>\n</html>`,
  };
}

/** The renderer for errors raised before a Placement handler runs (unparseable URLs, oversized bodies). */
export const placementFaults: FaultRenderer = (f) =>
  renderPlacementFault({
    status: f.status,
    message: f.message,
    requestId: f.requestId,
    code: 'placement.undefined_code',
    withCode: false,
    accept: f.accept,
  });

/** WebOb escapes &, < and > in HTML error pages, not quotes. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
