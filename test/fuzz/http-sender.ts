import { Agent, request, validateHeaderName, validateHeaderValue } from 'node:http';
import { connect } from 'node:net';
import type { FuzzOutcome, FuzzRequest } from './fuzz-request';

/** Longest a request may take before it counts as a hang (the 5 s). */
export const HANG_MS = 5_000;
/** Bytes of a response body kept for the report. */
const EXCERPT_BYTES = 300;

/**
 * Sends fuzz requests over real sockets with keep-alive: through node's HTTP client when it
 * accepts the request, else as raw bytes on a socket of its own. Every request ends as a status,
 * a hang (no complete answer in `HANG_MS`) or a drop (closed before a status line).
 */
export class HttpSender {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends one request to `base` (`http://127.0.0.1:port`). */
  async send(base: string, req: FuzzRequest): Promise<FuzzOutcome> {
    const url = new URL(base);
    if (req.raw || !clientAccepts(req)) return sendRaw(url, req.raw ?? rawBytes(req));
    const first = await this.viaClient(url, req, this.agent);
    if (first.kind !== 'dropped') return first;
    // A keep-alive socket the server closed just as it was reused: try once on a new one.
    const second = await this.viaClient(url, req, false);
    if (second.kind !== 'dropped') return second;
    // The client may have refused a malformed answer: look at the bytes themselves.
    const raw = await sendRaw(url, rawBytes(req));
    return raw.kind === 'status'
      ? { ...raw, excerpt: `(unreadable for node's HTTP client: ${second.error}) ${raw.excerpt}` }
      : raw;
  }

  /** Closes the idle sockets. */
  close(): void {
    this.agent.destroy();
  }

  private viaClient(url: URL, req: FuzzRequest, agent: Agent | false): Promise<FuzzOutcome> {
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const done = (o: FuzzOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const ms = () => Math.round(performance.now() - started);
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
        headers['content-length'] = req.body.length;
      }
      const r = request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers,
          agent,
          setHost: true,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (c: Buffer) => {
            if (kept < EXCERPT_BYTES) {
              chunks.push(c);
              kept += c.length;
            }
          });
          res.on('end', () =>
            done({
              kind: 'status',
              status: res.statusCode ?? 0,
              ms: ms(),
              excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
            }),
          );
          // The body was cut short after the status came: the head was an answer; a short body is not a hang.
          res.on('error', () =>
            done({ kind: 'status', status: res.statusCode ?? 0, ms: ms(), excerpt: '(body cut short)' }),
          );
          res.on('aborted', () =>
            done({ kind: 'status', status: res.statusCode ?? 0, ms: ms(), excerpt: '(body cut short)' }),
          );
        },
      );
      const timer = setTimeout(() => {
        done({ kind: 'hang', ms: ms() });
        r.destroy();
      }, HANG_MS);
      r.on('error', (err: NodeJS.ErrnoException) =>
        done({ kind: 'dropped', ms: ms(), error: err.code ?? err.message }),
      );
      r.end(req.body);
    });
  }
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Whether node's HTTP client would write this request as given. */
function clientAccepts(req: FuzzRequest): boolean {
  if (!/^[A-Z!#$%&'*+.^_`|~0-9-]+$/.test(req.method) || req.method === 'CONNECT') return false;
  if (/[^\u0021-\u00ff]/.test(req.path)) return false;
  try {
    for (const [k, v] of Object.entries(req.headers)) {
      validateHeaderName(k);
      validateHeaderValue(k, v);
    }
  } catch {
    return false;
  }
  return true;
}

/** The request as HTTP/1.1 bytes, for the raw path. */
export function rawBytes(req: FuzzRequest): Buffer {
  const lines = [`${req.method} ${req.path} HTTP/1.1`, 'Host: {host}', 'Connection: close'];
  for (const [k, v] of Object.entries(req.headers)) lines.push(`${k}: ${v}`);
  const chunked = hasHeader(req.headers, 'transfer-encoding');
  if (req.body && !chunked && !hasHeader(req.headers, 'content-length'))
    lines.push(`Content-Length: ${req.body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const body = req.body ?? Buffer.alloc(0);
  if (!chunked) return Buffer.concat([head, body]);
  const chunk = body.length
    ? [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]
    : [];
  return Buffer.concat([head, ...chunk, Buffer.from('0\r\n\r\n')]);
}

/** Writes bytes on a new socket; the answer is its status line. */
function sendRaw(url: URL, bytes: Buffer): Promise<FuzzOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const host = `${url.hostname}:${url.port}`;
  const data = Buffer.from(bytes.toString('latin1').replaceAll('{host}', host), 'latin1');
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let settled = false;
    const socket = connect(Number(url.port), url.hostname);
    const done = (o: FuzzOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => done({ kind: 'hang', ms: ms() }), HANG_MS);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      const m = /^HTTP\/\d\.\d (\d{3})[^\r\n]*\r\n/.exec(got.toString('latin1'));
      if (m)
        done({
          kind: 'status',
          status: Number(m[1]),
          ms: ms(),
          excerpt: got.subarray(0, EXCERPT_BYTES).toString('latin1'),
        });
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done({ kind: 'dropped', ms: ms(), error: err.code ?? err.message }),
    );
    socket.on('close', () =>
      done({
        kind: 'dropped',
        ms: ms(),
        error: got.length
          ? `no status line: ${got.subarray(0, 80).toString('latin1')}`
          : 'closed without an answer',
      }),
    );
  });
}
