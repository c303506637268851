import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Default `[DEFAULT] request_timeout`, in seconds: how long a request may go without an answer
 * once its body stopped arriving. Generous (upstream's proxies give a backend 10 to 60 s) because
 * it is a backstop against a handler that never answers, not a limit on slow work: a large upload
 * never trips it while its bytes keep coming.
 */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 300;

interface Watched {
  req: IncomingMessage;
  res: ServerResponse;
  expire: () => void;
  /** When it expires unless the answer starts or more body arrives (ms since the epoch). */
  deadline: number;
  /** The socket's byte count when body progress was last seen. */
  lastRead: number;
}

/**
 * Watches requests until they start their answer, and calls a request's `expire` when it has
 * gone `seconds` without an answer (no status line written) and without receiving body bytes:
 * the clock starts over whenever more of an unfinished body arrived, so an upload that keeps
 * flowing is never cut, and a handler that never answers is caught about `seconds` after the
 * last byte it was sent. One sweep timer per server, not one per request: watching costs a set
 * insertion, and the timer stops while nothing is watched. `seconds <= 0` disables it.
 */
export class RequestDeadlines {
  private readonly pending = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;
  private readonly ms: number;
  private readonly tickMs: number;

  constructor(seconds: number) {
    this.ms = seconds > 0 ? seconds * 1000 : 0;
    // Expiry comes at most one tick late: a quarter of the timeout, and at least once a second.
    this.tickMs = Math.max(10, Math.min(1000, this.ms / 4));
  }

  /** Starts watching one request; `expire` runs at most once, and never after the answer started. */
  watch(req: IncomingMessage, res: ServerResponse, expire: () => void): void {
    if (this.ms === 0) return;
    this.pending.add({
      req,
      res,
      expire,
      deadline: Date.now() + this.ms,
      lastRead: req.socket?.bytesRead ?? 0,
    });
    this.timer ??= setInterval(() => this.sweep(), this.tickMs).unref();
  }

  private sweep(): void {
    const now = Date.now();
    for (const w of this.pending) {
      if (w.res.headersSent || w.res.destroyed) {
        this.pending.delete(w);
        continue;
      }
      const read = w.req.socket?.bytesRead ?? 0;
      if (!w.req.complete && read !== w.lastRead) {
        w.lastRead = read;
        w.deadline = now + this.ms;
      } else if (now >= w.deadline) {
        this.pending.delete(w);
        w.expire();
      }
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
