import { type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * How one service spells response header names on the wire. HTTP names are case-insensitive,
 * but clients in the field compare them as upstream's servers write them (openstacksdk finds
 * Swift metadata by the case-sensitive prefix `X-Object-Meta-`), so each service declares
 * upstream's spellings once and every response it writes goes through them.
 */
export type HeaderSpelling = (name: string) => string;

const LETTERS = /[A-Za-z]+/g;

/**
 * Python's `bytes.title()` over a header name, as Swift's HeaderKeyDict writes every name:
 * each run of ASCII letters starts upper case and continues lower case, whatever precedes it
 * (`x-object-meta-k1` → `X-Object-Meta-K1`, `etag` → `Etag`, `x-sdk-md5a` → `X-Sdk-Md5A`).
 */
export function titleCaseHeaderName(name: string): string {
  return name.replace(LETTERS, (word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase());
}

/** Title-cases every name (Swift), remembering the names it has seen most often. */
export function titleCaseSpelling(): HeaderSpelling {
  const seen = new Map<string, string>();
  return (name) => {
    let spelled = seen.get(name);
    if (spelled === undefined) {
      spelled = titleCaseHeaderName(name);
      // User metadata makes the name space unbounded: keep the cache from growing with it.
      if (seen.size >= 4096) seen.clear();
      seen.set(name, spelled);
    }
    return spelled;
  };
}

/**
 * Spells the listed names exactly as given (matched case-insensitively) and leaves every other
 * name as the handler wrote it: the table holds upstream's spellings, taken from its sources.
 */
export function tableSpelling(names: readonly string[]): HeaderSpelling {
  const table = new Map(names.map((n) => [n.toLowerCase(), n]));
  return (name) => table.get(name.toLowerCase()) ?? name;
}

/** Renames the keys of a header object in place of a copy (header objects are small). */
export function spellHeaders(headers: OutgoingHttpHeaders, spell: HeaderSpelling): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[spell(k)] = v;
  return out;
}

type WriteHead = ServerResponse['writeHead'];
type WriteHeadWithReason = (status: number, reason: string, headers: OutgoingHttpHeaders) => ServerResponse;
const nodeWriteHead = ServerResponse.prototype.writeHead as WriteHeadWithReason;

/**
 * A `writeHead` that writes every header name through `spell`, whoever writes them (fastify, a
 * hijacked Swift reply, a fault): names set with `setHeader` and those passed to `writeHead`
 * alike, and implicit heads (`end()` without `writeHead`). Make one per server and assign it to
 * each response (`res.writeHead = spelled`): one property store a request.
 */
export function spelledWriteHead(spell: HeaderSpelling): WriteHead {
  return function writeHead(
    this: ServerResponse,
    status: number,
    reasonOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    maybeHeaders?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): ServerResponse {
    const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
    const given = typeof reasonOrHeaders === 'string' ? maybeHeaders : reasonOrHeaders;
    // Fold what was set with setHeader into the one object, so every name goes through `spell`
    // (Node would otherwise write the stored ones in their lower-case form).
    const merged: OutgoingHttpHeaders = {};
    for (const name of this.getHeaderNames()) {
      merged[spell(name)] = this.getHeader(name);
      this.removeHeader(name);
    }
    if (Array.isArray(given)) {
      for (let i = 0; i + 1 < given.length; i += 2)
        merged[spell(String(given[i]))] = given[i + 1] as OutgoingHttpHeader;
    } else if (given) {
      for (const [k, v] of Object.entries(given)) if (v !== undefined) merged[spell(k)] = v;
    }
    return reason === undefined
      ? (nodeWriteHead as WriteHead).call(this, status, merged)
      : nodeWriteHead.call(this, status, reason, merged);
  } as WriteHead;
}

/** Makes one response write its header names through `spell` (tests; servers use `spelledWriteHead`). */
export function spellResponseHeaders(res: ServerResponse, spell: HeaderSpelling): void {
  res.writeHead = spelledWriteHead(spell);
}
