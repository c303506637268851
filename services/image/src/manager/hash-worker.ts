import { Worker } from 'node:worker_threads';

/** The thread's code: one MD5 and one multihash per stream id, fed chunk by chunk. */
const THREAD = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const streams = new Map();
parentPort.on('message', (m) => {
  if (m.open) { streams.set(m.id, [crypto.createHash('md5'), crypto.createHash(m.algorithm)]); return; }
  const s = streams.get(m.id);
  if (!s) { if (m.chunk) parentPort.postMessage({ id: m.id, slab: m.chunk }, [m.chunk]); return; }
  if (m.chunk) {
    const b = Buffer.from(m.chunk, 0, m.length);
    s[0].update(b); s[1].update(b);
    parentPort.postMessage({ id: m.id, ack: b.length, slab: m.chunk }, [m.chunk]);
    return;
  }
  streams.delete(m.id);
  if (m.close) parentPort.postMessage({ id: m.id, md5: s[0].digest('hex'), multihash: s[1].digest('hex') });
});
`;

/** The digests of one hashed stream. */
export interface Digests {
  md5: string;
  multihash: string;
}

/** How far a stream's hashing may fall behind its data before `write` waits. */
const MAX_BEHIND = 16 * 1024 * 1024;

/** The size of the slabs chunks are gathered into before they go to the thread. */
const SLAB = 1024 * 1024;

/** How many free slabs are kept for reuse: enough for one stream's allowance plus some. */
const MAX_SLABS = 2 * (MAX_BEHIND / SLAB);

/**
 * Hashes image data on a worker thread so that MD5 and the multihash (the dearest part of an
 * upload) run beside the network and disk work instead of on the event loop. One thread serves
 * every upload of the process; each stream waits when the thread is more than 16 MiB behind.
 */
export class HashWorker {
  private worker: Worker | undefined;
  private next = 0;
  /** Slabs back from the thread, reused so that their pages stay mapped: at most MAX_SLABS. */
  private readonly free: ArrayBuffer[] = [];
  private readonly pending = new Map<
    number,
    { behind: number; wake?: () => void; done?: (d: Digests) => void }
  >();

  /** Starts hashing a stream; feed it with `write`, finish with `end`. */
  open(algorithm: string): { write(chunk: Buffer): Promise<void>; end(): Promise<Digests>; abort(): void } {
    const w = this.thread();
    const id = ++this.next;
    const state: { behind: number; wake?: () => void; done?: (d: Digests) => void } = { behind: 0 };
    this.pending.set(id, state);
    w.postMessage({ open: true, id, algorithm });
    // Chunks are copied into a slab that is handed over (not copied again) once full: one message
    // per MiB instead of one per socket read keeps both threads' messaging cost small.
    let slab: Buffer | undefined;
    let filled = 0;
    const send = () => {
      if (!slab || !filled) return;
      // allocUnsafeSlow: the slab owns its whole ArrayBuffer (no pool), so it can be transferred.
      const bytes = slab.buffer as ArrayBuffer;
      w.postMessage({ id, chunk: bytes, length: filled }, [bytes]);
      slab = undefined;
      filled = 0;
    };
    return {
      write: async (chunk) => {
        state.behind += chunk.length;
        for (let at = 0; at < chunk.length; ) {
          slab ??= this.slab();
          const n = chunk.copy(slab, filled, at);
          filled += n;
          at += n;
          if (filled === SLAB) send();
        }
        if (state.behind > MAX_BEHIND) await new Promise<void>((resolve) => (state.wake = resolve));
      },
      end: () =>
        new Promise<Digests>((resolve) => {
          state.done = resolve;
          send();
          w.postMessage({ id, close: true });
        }),
      abort: () => {
        this.pending.delete(id);
        w.postMessage({ id, close: false });
      },
    };
  }

  /** A slab the thread gave back, or a new one. */
  private slab(): Buffer {
    const free = this.free.pop();
    return free ? Buffer.from(free) : Buffer.allocUnsafeSlow(SLAB);
  }

  /** Stops the thread (the service's shutdown). */
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(THREAD, { eval: true });
    w.unref();
    w.on(
      'message',
      (m: { id: number; ack?: number; slab?: ArrayBuffer; md5?: string; multihash?: string }) => {
        if (m.slab && this.free.length < MAX_SLABS) this.free.push(m.slab);
        const s = this.pending.get(m.id);
        if (!s) return;
        if (m.ack !== undefined) {
          s.behind -= m.ack;
          if (s.behind <= MAX_BEHIND / 2 && s.wake) {
            const wake = s.wake;
            s.wake = undefined;
            wake();
          }
          return;
        }
        this.pending.delete(m.id);
        s.done?.({ md5: m.md5!, multihash: m.multihash! });
      },
    );
    this.worker = w;
    return w;
  }
}
