/**
 * A file of an object replica that is there but cannot be used: reading it failed (EIO), its
 * metadata does not decode or lacks what every data file has, or its data is shorter than its
 * metadata says. The object server quarantines such a replica (the proxy then reads another) and
 * never answers 404 for it.
 */
export class UnreadableObject extends Error {
  override readonly name = 'UnreadableObject';

  constructor(
    /** The file that could not be read. */
    readonly path: string,
    /** Why, in words for the log (`metadata does not decode: ...`). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${reason}`, options);
  }
}

/** Whether an error says the file (or its directory) is gone: a race with a newer write's cleanup. */
export function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Whether an error says the file system keeps no user extended attributes (a device problem, 507). */
export function isXattrUnsupported(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOTSUP' || code === 'EOPNOTSUPP';
}
