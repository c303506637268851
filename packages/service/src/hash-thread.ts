import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code: per stream id, one hash per algorithm asked for, fed slab by slab; each slab
 * goes back for reuse.
 */
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const streams = new Map();
parentPort.on('message', (m) => {
  if (m.open) { streams.set(m.id, m.algorithms.map((a) => createHash(a))); return; }
  const hashes = streams.get(m.id);
  if (m.slab) {
    const bytes = new Uint8Array(m.slab, 0, m.length);
    if (hashes) for (const h of hashes) h.update(bytes);
    parentPort.postMessage({ id: m.id, ack: m.length, slab: m.slab }, [m.slab]);
    return;
  }
  streams.delete(m.id);
  if (m.close && hashes) parentPort.postMessage({ id: m.id, digests: hashes.map((h) => h.digest('hex')) });
});
`;

/** Chunks are gathered into slabs of this size before they go to the thread. */
const SLAB = 1024 * 1024;

/** How far a stream's hashing may fall behind its data before `update` asks the caller to wait. */
const MAX_BEHIND = 16 * 1024 * 1024;

/** Slabs back from the thread kept for reuse (their pages stay mapped): 32 MiB at most. */
const MAX_FREE = 32;

/** Bodies of a known length up to this are hashed at once: a thread round trip costs more. */
const INLINE_MAX = 256 * 1024;

/** One stream's digests, computed on the worker thread. */
export interface HashStream {
  /**
   * Takes the next chunk (copied; the caller may reuse it at once). Answers a promise to await
   * when the thread is more than 16 MiB behind, else undefined (no promise per chunk).
   */
  update(chunk: Buffer): Promise<void> | undefined;
  /** The hex digests of everything given, one per algorithm in order; rejects if the thread failed. */
  digest(): Promise<string[]>;
  /** Forgets the stream (an upload that failed). */
  abort(): void;
}

interface Pending {
  behind: number;
  wake?: () => void;
  done?: (digests: string[]) => void;
  fail?: (err: Error) => void;
}

/**
 * Hashes uploads (object ETags, image checksums and multihashes) on one worker thread shared by
 * every upload of its owner, so hashing, the dearest per-byte work of an upload, runs beside the
 * network and disk work instead of on the event loop. Chunks are copied into 1 MiB slabs that are
 * handed over (not copied again) and come back for reuse.
 */
export class HashThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly free: ArrayBuffer[] = [];
  private readonly pending = new Map<number, Pending>();

  /**
   * Starts hashing one stream with each of `algorithms` (node:crypto names). A stream announced
   * as small (`expectedBytes`) is hashed on the caller's thread instead; one that turns out
   * larger is still hashed right.
   */
  open(algorithms: string[], expectedBytes?: number): HashStream {
    if (expectedBytes !== undefined && expectedBytes <= INLINE_MAX) return inlineStream(algorithms);
    const w = this.thread();
    const id = ++this.nextId;
    const state: Pending = { behind: 0 };
    this.pending.set(id, state);
    this.holdProcess();
    w.postMessage({ open: true, id, algorithms });
    let slab: Buffer | undefined;
    let filled = 0;
    const send = () => {
      if (!slab || filled === 0) return;
      const bytes = slab.buffer as ArrayBuffer;
      w.postMessage({ id, slab: bytes, length: filled }, [bytes]);
      slab = undefined;
      filled = 0;
    };
    return {
      update: (chunk) => {
        state.behind += chunk.length;
        for (let at = 0; at < chunk.length; ) {
          slab ??= this.slab();
          const n = chunk.copy(slab, filled, at);
          filled += n;
          at += n;
          if (filled === SLAB) send();
        }
        if (state.behind <= MAX_BEHIND || !this.pending.has(id)) return undefined;
        return new Promise<void>((resolve) => {
          state.wake = resolve;
        });
      },
      digest: () =>
        new Promise<string[]>((resolve, reject) => {
          if (!this.pending.has(id)) return reject(new Error('hash stream closed'));
          state.done = resolve;
          state.fail = reject;
          send();
          w.postMessage({ id, close: true });
        }),
      abort: () => {
        if (!this.pending.delete(id)) return;
        this.holdProcess();
        send();
        w.postMessage({ id, close: false });
      },
    };
  }

  /** Stops the thread; streams under way fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
    this.failAll(new Error('hash thread stopped'));
  }

  private failAll(err: Error): void {
    for (const s of this.pending.values()) {
      s.wake?.();
      s.fail?.(err);
    }
    this.pending.clear();
  }

  /**
   * The thread keeps the process alive exactly while a stream awaits it: an idle hash thread
   * must not keep a stopped service's process from exiting (a Worker with a 'message' listener
   * does unless unreferenced), and a pending digest must not be lost to an exit.
   */
  private holdProcess(): void {
    if (this.pending.size) this.worker?.ref();
    else this.worker?.unref();
  }

  /** A slab the thread gave back, or a new one (a whole ArrayBuffer of its own, to transfer). */
  private slab(): Buffer {
    const free = this.free.pop();
    return free ? Buffer.from(free) : Buffer.allocUnsafeSlow(SLAB);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // The thread's code is plain CommonJS: none of the parent's flags (loaders, input type) apply.
    const w = new Worker(THREAD, { eval: true, execArgv: [] });
    w.on('message', (m: { id: number; ack?: number; slab?: ArrayBuffer; digests?: string[] }) => {
      if (m.slab && this.free.length < MAX_FREE) this.free.push(m.slab);
      const s = this.pending.get(m.id);
      if (!s) return;
      if (m.ack !== undefined) {
        s.behind -= m.ack;
        if (s.wake && s.behind <= MAX_BEHIND / 2) {
          const wake = s.wake;
          s.wake = undefined;
          wake();
        }
        return;
      }
      this.pending.delete(m.id);
      this.holdProcess();
      s.done?.(m.digests!);
    });
    const fail = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll(err);
    };
    w.on('error', fail);
    w.on('exit', () => fail(new Error('hash thread stopped')));
    this.worker = w;
    return w;
  }
}

/** Hashes on the caller's thread, for small bodies. */
function inlineStream(algorithms: string[]): HashStream {
  const hashes = algorithms.map((a) => createHash(a));
  return {
    update: (chunk) => {
      for (const h of hashes) h.update(chunk);
      return undefined;
    },
    digest: async () => hashes.map((h) => h.digest('hex')),
    abort: () => {},
  };
}
