import { statSync } from 'node:fs';
import type { ObjectState } from './disk-file';

interface Entry {
  state: ObjectState;
  data?: Buffer;
  /** The hash directory's change time when read, in nanoseconds. */
  ctime: bigint;
  /** When the change time was last compared (ms). */
  checked: number;
  bytes: number;
}

/** How long an entry is trusted before its directory is looked at again. */
const RECHECK_MS = 1000;

/**
 * Recently read object states, with the bytes of small objects. Data files never change in
 * place (every write is a new file renamed in), and the object server drops an entry on each
 * write to its directory. Once a second an entry's directory change time is compared too, so a
 * file moved or removed behind the server's back is seen within that second (a stat per
 * request would cost as much as the rest of a GET on this kind of machine).
 */
export class ObjectCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(dir: string): Entry | undefined {
    const e = this.entries.get(dir);
    if (!e) return undefined;
    const now = Date.now();
    if (now - e.checked < RECHECK_MS) return e;
    e.checked = now;
    let ctime: bigint;
    try {
      ctime = statSync(dir, { bigint: true }).ctimeNs;
    } catch {
      // Gone, or cannot be looked at: not served from here (a read of the disk says why).
      this.invalidate(dir);
      return undefined;
    }
    if (ctime !== e.ctime) {
      this.invalidate(dir);
      return undefined;
    }
    this.entries.delete(dir);
    this.entries.set(dir, e);
    return e;
  }

  set(dir: string, state: ObjectState, data?: Buffer): void {
    let ctime: bigint;
    try {
      ctime = statSync(dir, { bigint: true }).ctimeNs;
    } catch {
      // Not cached: the next read goes to the disk, which reports its own failures.
      return;
    }
    this.invalidate(dir);
    const bytes = (data?.length ?? 0) + 512;
    this.entries.set(dir, { state, data, ctime, bytes, checked: Date.now() });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.invalidate(oldest);
    }
  }

  invalidate(dir: string): void {
    const e = this.entries.get(dir);
    if (!e) return;
    this.bytes -= e.bytes;
    this.entries.delete(dir);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
