import type { SwiftRequest } from '../common/swift-http';

export type ListingFormat = 'json' | 'xml' | 'plain';

/** The listing format a request asks for: `?format=` first, then the Accept header (listing_formats). */
export function listingFormat(req: SwiftRequest): ListingFormat | undefined {
  const f = req.query.get('format')?.toLowerCase();
  if (f) {
    if (f === 'json') return 'json';
    if (f === 'xml') return 'xml';
    if (f === 'plain' || f === 'text') return 'plain';
    return 'plain';
  }
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (!accept || accept.includes('*/*') || accept.includes('text/plain')) return 'plain';
  if (accept.includes('application/json')) return 'json';
  if (accept.includes('application/xml') || accept.includes('text/xml')) return 'xml';
  return undefined;
}

const CONTENT_TYPES: Record<ListingFormat, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  plain: 'text/plain; charset=utf-8',
};

function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Renders a listing (the JSON rows storage servers answer) in the asked format. */
export function renderListing(
  rows: Record<string, unknown>[],
  format: ListingFormat,
  kind: 'account' | 'container',
  name: string,
): { body: string; contentType: string } {
  if (format === 'json') return { body: JSON.stringify(rows), contentType: CONTENT_TYPES.json };
  if (format === 'plain') {
    return {
      body: rows.map((r) => `${(r.subdir ?? r.name) as string}\n`).join(''),
      contentType: CONTENT_TYPES.plain,
    };
  }
  const item = kind === 'account' ? 'container' : 'object';
  const parts = rows.map((r) => {
    if (r.subdir !== undefined)
      return `<subdir name="${xmlEscape(String(r.subdir))}"><name>${xmlEscape(String(r.subdir))}</name></subdir>`;
    const fields = Object.entries(r)
      .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
      .join('');
    return `<${item}>${fields}</${item}>`;
  });
  return {
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${kind} name="${xmlEscape(name)}">${parts.join('')}</${kind}>`,
    contentType: CONTENT_TYPES.xml,
  };
}
