import { STATUS_CODES } from 'node:http';

/** What a renderer gets: the status decided from the error category, and a client-safe message. */
export interface Fault {
  status: number;
  message: string;
  /** Upstream fault type where the style names it (Neutron). */
  type?: string;
  detail?: string;
  requestId: string;
  /** The request's Accept header, for styles that negotiate. */
  accept?: string;
  /** Headers the error asks for (`WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>;
}

/** A rendered fault body. */
export interface RenderedFault {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** Renders a fault in one service's upstream style. */
export type FaultRenderer = (fault: Fault) => RenderedFault;

const title = (status: number) => STATUS_CODES[status] ?? 'Error';
const json = (body: unknown): RenderedFault => ({ contentType: 'application/json', body: JSON.stringify(body) });

/** Keystone: `{"error": {"code": 404, "message": "...", "title": "Not Found"}}`. */
export const keystoneFaults: FaultRenderer = (f) => json({ error: { code: f.status, message: f.message, title: title(f.status) } });

const novaKeys: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** Nova and Cinder: `{"itemNotFound": {"code": 404, "message": "..."}}`; 5xx otherwise `computeFault`. */
export const novaFaults: FaultRenderer = (f) => json({ [novaKeys[f.status] ?? 'computeFault']: { code: f.status, message: f.message } });

/** Neutron: `{"NeutronError": {"type": "NetworkNotFound", "message": "...", "detail": ""}}`. */
export const neutronFaults: FaultRenderer = (f) =>
  json({ NeutronError: { type: f.type ?? `HTTP${title(f.status).replaceAll(' ', '')}`, message: f.message, detail: f.detail ?? '' } });

/**
 * WebOb's error pages, which Glance returns: JSON when the client accepts it, else a small HTML page.
 */
export const webobFaults: FaultRenderer = (f) => {
  const statusLine = `${f.status} ${title(f.status)}`;
  if (f.accept?.includes('application/json')) return json({ message: f.message, code: statusLine, title: title(f.status) });
  return {
    contentType: 'text/html; charset=UTF-8',
    body: `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${escapeHtml(f.message)}<br /><br />\n\n\n\n </body>\n</html>`,
  };
};

/** Swift: a short HTML body, `<html><h1>Not Found</h1><p>...</p></html>`. */
export const swiftFaults: FaultRenderer = (f) => ({
  contentType: 'text/html; charset=UTF-8',
  body: `<html><h1>${title(f.status)}</h1><p>${escapeHtml(f.message)}</p></html>`,
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
