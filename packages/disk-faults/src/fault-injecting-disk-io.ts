import type { FileHandle } from 'node:fs/promises';
import { type DiskFault, type DiskOp, diskError, type FaultRule, matchesPath } from './disk-fault';
import { type DiskIo, nodeDiskIo } from './disk-io';

/** A call a fault hit, for tests to check that the path under test really met it. */
export interface FaultHit {
  op: DiskOp;
  path: string | undefined;
  fault: DiskFault;
}

/** Calls whose first argument is a descriptor, not a path. */
const FD_CALLS = new Set<DiskOp>(['closeSync', 'readSync', 'writevSync', 'writev', 'fsync', 'fdatasync']);
/** Calls that answer through a callback (their last argument). */
const CALLBACK_CALLS = new Set<DiskOp>(['writev', 'fsync', 'fdatasync']);
/** Calls that answer through a promise. */
const PROMISE_CALLS = new Set<DiskOp>([
  'open',
  'readFile',
  'writeFile',
  'readdir',
  'mkdir',
  'rename',
  'unlink',
  'rm',
  'stat',
]);

/**
 * A DiskIo that makes chosen calls fail (tests only). Every call goes to the wrapped DiskIo
 * unless a rule set with `inject` matches it: then it throws (or rejects, or calls back with) the
 * rule's errno, or returns cut or corrupt data. Descriptors and FileHandles remember the path
 * they were opened with, so a rule on a path also hits the reads of that file.
 */
export class FaultInjectingDiskIo {
  private readonly rules: FaultRule[] = [];
  private readonly fdPaths = new Map<number, string>();
  /** Every call a fault hit, oldest first. */
  readonly hits: FaultHit[] = [];
  /** The DiskIo to hand to the code under test. */
  readonly io: DiskIo;

  constructor(private readonly inner: DiskIo = nodeDiskIo) {
    const io: Record<string, unknown> = {};
    for (const op of Object.keys(inner) as (keyof DiskIo)[]) io[op] = this.wrap(op);
    io.openSync = (...args: unknown[]) => {
      const path = String(args[0]);
      this.throwIfFault('openSync', path);
      const fd = (inner.openSync as (...a: unknown[]) => number)(...args);
      this.fdPaths.set(fd, path);
      return fd;
    };
    io.closeSync = (fd: number) => {
      const path = this.fdPaths.get(fd);
      this.fdPaths.delete(fd);
      this.throwIfFault('closeSync', path);
      inner.closeSync(fd);
    };
    io.readSync = (fd: number, buffer: Buffer, offset: number, length: number, position: number) => {
      const path = this.fdPaths.get(fd);
      const fault = this.take('readSync', path);
      if (fault && 'errno' in fault) throw diskError(fault.errno, 'read', path);
      const len = fault && 'truncateAt' in fault ? clamp(length, position, fault.truncateAt) : length;
      return len === 0 ? 0 : inner.readSync(fd, buffer, offset, len, position);
    };
    io.open = async (...args: unknown[]) => {
      const path = String(args[0]);
      const fault = this.take('open', path);
      if (fault && 'errno' in fault) throw diskError(fault.errno, 'open', path);
      const handle = await (inner.open as (...a: unknown[]) => Promise<FileHandle>)(...args);
      return this.watchHandle(handle, path);
    };
    for (const op of ['readFileSync', 'readFile', 'getXattrSync'] as const) {
      const call = inner[op] as (...a: unknown[]) => unknown;
      const promised = op === 'readFile';
      io[op] = (...args: unknown[]) => {
        const path = String(args[0]);
        const fault = this.take(op, path);
        if (fault && 'errno' in fault) {
          const err = diskError(fault.errno, op === 'getXattrSync' ? 'getxattr' : 'read', path);
          if (promised) return Promise.reject(err);
          throw err;
        }
        const alter = (data: unknown) => (fault ? spoil(data, fault) : data);
        return promised ? (call(...args) as Promise<unknown>).then(alter) : alter(call(...args));
      };
    }
    this.io = io as unknown as DiskIo;
  }

  /** Adds a rule; returns a function that takes it away again. */
  inject(rule: FaultRule): () => void {
    const own = { ...rule };
    this.rules.push(own);
    return () => {
      const i = this.rules.indexOf(own);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  /** Takes every rule away (the hits stay). */
  clear(): void {
    this.rules.length = 0;
  }

  private wrap(op: keyof DiskIo): unknown {
    const call = this.inner[op] as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const path = FD_CALLS.has(op) ? this.fdPaths.get(args[0] as number) : String(args[0]);
      const fault = this.take(op, path);
      if (!fault || !('errno' in fault)) return call(...args);
      const err = diskError(fault.errno, syscallOf(op), path);
      if (CALLBACK_CALLS.has(op)) {
        const cb = args[args.length - 1] as (e: Error) => void;
        process.nextTick(cb, err);
        return undefined;
      }
      if (PROMISE_CALLS.has(op)) return Promise.reject(err);
      throw err;
    };
  }

  private throwIfFault(op: DiskOp, path: string | undefined): void {
    const fault = this.take(op, path);
    if (fault && 'errno' in fault) throw diskError(fault.errno, syscallOf(op), path);
  }

  /** The fault of the first rule that matches, counted against its `times`. */
  private take(op: DiskOp, path: string | undefined): DiskFault | undefined {
    for (const rule of this.rules) {
      const ops = typeof rule.op === 'string' ? [rule.op] : rule.op;
      if (!ops.includes(op) || !matchesPath(rule, path)) continue;
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        rule.times--;
      }
      this.hits.push({ op, path, fault: rule.fault });
      return rule.fault;
    }
    return undefined;
  }

  /** A FileHandle whose reads pass through the rules for op `read`. */
  private watchHandle(handle: FileHandle, path: string): FileHandle {
    const read = handle.read.bind(handle) as (
      ...a: unknown[]
    ) => Promise<{ bytesRead: number; buffer: Buffer }>;
    return new Proxy(handle, {
      get: (target, key, receiver) => {
        if (key !== 'read') {
          const value = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (buffer: Buffer, offset: number, length: number, position: number) => {
          const fault = this.take('read', path);
          if (fault && 'errno' in fault) throw diskError(fault.errno, 'read', path);
          const len = fault && 'truncateAt' in fault ? clamp(length, position, fault.truncateAt) : length;
          if (len === 0) return { bytesRead: 0, buffer };
          return read(buffer, offset, len, position);
        };
      },
    });
  }
}

function syscallOf(op: DiskOp): string {
  return op.replace(/Sync$/, '').toLowerCase();
}

/** How much of a read of `length` bytes at `position` lies before `end`. */
function clamp(length: number, position: number, end: number): number {
  return Math.max(0, Math.min(length, end - position));
}

/** Whole-file data (or an attribute value) as the fault leaves it. */
function spoil(data: unknown, fault: DiskFault): unknown {
  if (data === undefined || data === null)
    return 'corrupt' in fault ? asBufferLike(fault.corrupt, data) : data;
  if ('truncateAt' in fault)
    return typeof data === 'string'
      ? data.slice(0, fault.truncateAt)
      : (data as Buffer).subarray(0, fault.truncateAt);
  if ('corrupt' in fault) return asBufferLike(fault.corrupt, data);
  return data;
}

function asBufferLike(value: string | Buffer, like: unknown): string | Buffer {
  if (typeof like === 'string') return typeof value === 'string' ? value : value.toString('utf8');
  return typeof value === 'string' ? Buffer.from(value) : value;
}
