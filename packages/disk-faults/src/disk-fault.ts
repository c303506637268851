import type { DiskIo } from './disk-io';

/** A call a fault can be set on: a member of DiskIo, or `read` on a FileHandle `open` returned. */
export type DiskOp = keyof DiskIo | 'read';

/**
 * What goes wrong:
 * - `errno`: the call fails as the kernel would have it fail (`EIO`, `ENOSPC`, `EROFS`...);
 * - `truncateAt`: the file's data ends after this many bytes (reads past it return 0 bytes, whole
 *   file reads and attribute values come back cut), as a short read of a damaged file;
 * - `corrupt`: whole file reads and attribute values return these bytes instead.
 */
export type DiskFault = { errno: string } | { truncateAt: number } | { corrupt: string | Buffer };

/** Which calls a fault hits. */
export interface FaultRule {
  op: DiskOp | readonly DiskOp[];
  /**
   * The paths it hits: a string is found anywhere in the path, a RegExp tested on it. Calls on
   * a descriptor match the path it was opened with. Every path when absent.
   */
  path?: string | RegExp | ((path: string) => boolean);
  fault: DiskFault;
  /** How many calls it hits before it goes away; every call when absent. */
  times?: number;
}

const MESSAGES: Record<string, string> = {
  EIO: 'i/o error',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  ENOENT: 'no such file or directory',
  ENOTSUP: 'operation not supported',
  ENODATA: 'no data available',
};

const ERRNOS: Record<string, number> = {
  EIO: -5,
  ENOSPC: -28,
  EROFS: -30,
  EACCES: -13,
  ENOENT: -2,
  ENOTSUP: -95,
  ENODATA: -61,
};

/** An error shaped as `node:fs` throws it (`code`, `errno`, `syscall`, `path`). */
export function diskError(code: string, syscall: string, path: string | undefined): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(
    `${code}: ${MESSAGES[code] ?? 'injected fault'}, ${syscall}${path ? ` '${path}'` : ''}`,
  );
  err.code = code;
  err.errno = ERRNOS[code] ?? -1;
  err.syscall = syscall;
  if (path) err.path = path;
  return err;
}

/** Whether a rule's path matches. */
export function matchesPath(rule: FaultRule, path: string | undefined): boolean {
  const want = rule.path;
  if (want === undefined) return true;
  if (path === undefined) return false;
  if (typeof want === 'string') return path.includes(want);
  if (want instanceof RegExp) return want.test(path);
  return want(path);
}
