import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A thread's code: per stream id, one hash per algorithm it was given, fed from shared slabs;
 * each slab read is acknowledged so the slab can be reused once every thread has read it.
 */
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const streams = new Map();
parentPort.on('message', (m) => {
  if (m.open) { streams.set(m.id, m.algorithms.map((a) => createHash(a))); return; }
  const hashes = streams.get(m.id);
  if (m.slab) {
    if (hashes) { const bytes = new Uint8Array(m.slab, 0, m.length); for (const h of hashes) h.update(bytes); }
    parentPort.postMessage({ id: m.id, read: m.key });
    return;
  }
  streams.delete(m.id);
  if (m.close && hashes) parentPort.postMessage({ id: m.id, digests: hashes.map((h) => h.digest('hex')) });
});
`;

/** Chunks are gathered into slabs of this size before the threads read them. */
const SLAB = 1024 * 1024;

/** How far a stream's hashing may fall behind its data before `update` asks the caller to wait. */
const MAX_BEHIND = 16 * 1024 * 1024;

/** Slabs kept for reuse once read (their pages stay mapped): 32 MiB at most. */
const MAX_FREE = 32;

/** Bodies of a known length up to this are hashed at once: a thread round trip costs more. */
const INLINE_MAX = 256 * 1024;

/** One stream's digests, computed on the hash threads. */
export interface HashStream {
  /**
   * Takes the next chunk (copied; the caller may reuse it at once). Answers a promise to await
   * when the threads are more than 16 MiB behind, else undefined (no promise per chunk).
   */
  update(chunk: Buffer): Promise<void> | undefined;
  /** The hex digests of everything given, one per algorithm in order; rejects if a thread failed. */
  digest(): Promise<string[]>;
  /** Forgets the stream (an upload that failed). */
  abort(): void;
}

/** A stream under way. */
interface Pending {
  behind: number;
  /** Per algorithm, in order: the thread that hashes it. */
  threadOf: number[];
  digests: string[];
  /** Threads whose digests are still to come. */
  awaited: number;
  wake?: () => void;
  done?: (digests: string[]) => void;
  fail?: (err: Error) => void;
}

/** A shared slab of bytes, and while threads read it, how many have still to. */
interface Slab {
  memory: SharedArrayBuffer;
  bytes: Buffer;
  readers: number;
  length: number;
  stream: number;
}

/**
 * Hashes uploads (object ETags, image checksums and multihashes) on a few worker threads shared by
 * every upload of their owner, so hashing, the dearest per-byte work of an upload, runs beside the
 * network and disk work instead of on the event loop. A stream's algorithms are spread over the
 * threads (an image's MD5 and SHA-512 run at once, on two cores), and streams start on different
 * threads. Chunks are copied once, into 1 MiB shared slabs that every thread of the stream reads
 * in place; a slab is reused once all of them have.
 */
export class HashThreads {
  private readonly workers: (Worker | undefined)[] = [];
  private nextId = 0;
  private nextKey = 0;
  private readonly free: Slab[] = [];
  private readonly reading = new Map<number, Slab>();
  private readonly pending = new Map<number, Pending>();

  /** At most `threads` threads, started as streams need them (by default one per core, up to 4). */
  constructor(private readonly threads = Math.min(4, availableParallelism())) {}

  /**
   * Starts hashing one stream with each of `algorithms` (node:crypto names). A stream announced
   * as small (`expectedBytes`) is hashed on the caller's thread instead; one that turns out
   * larger is still hashed right.
   */
  open(algorithms: string[], expectedBytes?: number): HashStream {
    if (expectedBytes !== undefined && expectedBytes <= INLINE_MAX) return inlineStream(algorithms);
    const id = ++this.nextId;
    const threadOf = algorithms.map((_, i) => (id + i) % this.threads);
    const used = [...new Set(threadOf)];
    const state: Pending = { behind: 0, threadOf, digests: [], awaited: used.length };
    this.pending.set(id, state);
    for (const t of used)
      this.thread(t).postMessage({
        open: true,
        id,
        algorithms: algorithms.filter((_, i) => threadOf[i] === t),
      });
    this.holdProcess();
    let slab: Slab | undefined;
    const send = () => {
      if (!slab || slab.length === 0) return;
      const key = ++this.nextKey;
      slab.readers = used.length;
      this.reading.set(key, slab);
      for (const t of used) this.thread(t).postMessage({ id, slab: slab.memory, length: slab.length, key });
      slab = undefined;
    };
    const post = (message: object) => {
      for (const t of used) this.thread(t).postMessage(message);
    };
    return {
      update: (chunk) => {
        state.behind += chunk.length;
        for (let at = 0; at < chunk.length; ) {
          slab ??= this.slab(id);
          const n = chunk.copy(slab.bytes, slab.length, at);
          slab.length += n;
          at += n;
          if (slab.length === SLAB) send();
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
          post({ id, close: true });
        }),
      abort: () => {
        if (!this.pending.delete(id)) return;
        this.holdProcess();
        if (slab && this.free.length < MAX_FREE) this.free.push(slab);
        slab = undefined;
        post({ id, close: false });
      },
    };
  }

  /** Stops the threads; streams under way fail. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w?.terminate()));
    this.failAll(new Error('hash thread stopped'));
  }

  private failAll(err: Error): void {
    for (const s of this.pending.values()) {
      s.wake?.();
      s.fail?.(err);
    }
    this.pending.clear();
    this.reading.clear();
  }

  /**
   * The threads keep the process alive exactly while a stream awaits them: an idle hash thread
   * must not keep a stopped service's process from exiting (a Worker with a 'message' listener
   * does unless unreferenced), and a pending digest must not be lost to an exit.
   */
  private holdProcess(): void {
    for (const w of this.workers) {
      if (this.pending.size) w?.ref();
      else w?.unref();
    }
  }

  /** A slab all threads have read, or a new one. */
  private slab(stream: number): Slab {
    const reused = this.free.pop();
    if (reused) {
      reused.length = 0;
      reused.stream = stream;
      return reused;
    }
    const memory = new SharedArrayBuffer(SLAB);
    return { memory, bytes: Buffer.from(memory), readers: 0, length: 0, stream };
  }

  /** One thread has read a slab: once all have, its bytes no longer count as behind. */
  private read(key: number): void {
    const slab = this.reading.get(key);
    if (!slab || --slab.readers > 0) return;
    this.reading.delete(key);
    const s = this.pending.get(slab.stream);
    if (s) {
      s.behind -= slab.length;
      if (s.wake && s.behind <= MAX_BEHIND / 2) {
        const wake = s.wake;
        s.wake = undefined;
        wake();
      }
    }
    if (this.free.length < MAX_FREE) this.free.push(slab);
  }

  /** One thread's digests for a stream, in the order of the algorithms it was given. */
  private answered(t: number, id: number, digests: string[]): void {
    const s = this.pending.get(id);
    if (!s) return;
    let k = 0;
    s.threadOf.forEach((owner, i) => {
      if (owner === t) s.digests[i] = digests[k++]!;
    });
    if (--s.awaited > 0) return;
    this.pending.delete(id);
    this.holdProcess();
    s.done?.(s.digests);
  }

  private thread(t: number): Worker {
    const running = this.workers[t];
    if (running) return running;
    // The thread's code is plain CommonJS: none of the parent's flags (loaders, input type) apply.
    const w = new Worker(THREAD, { eval: true, execArgv: [] });
    w.on('message', (m: { id: number; read?: number; digests?: string[] }) => {
      if (m.read !== undefined) this.read(m.read);
      else if (m.digests) this.answered(t, m.id, m.digests);
    });
    const fail = (err: Error) => {
      if (this.workers[t] !== w) return;
      this.workers[t] = undefined;
      this.failAll(err);
    };
    w.on('error', fail);
    w.on('exit', () => fail(new Error('hash thread stopped')));
    this.workers[t] = w;
    if (!this.pending.size) w.unref();
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
