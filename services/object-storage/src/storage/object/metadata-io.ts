import { type DiskIo, nodeDiskIo } from '@nimbus/disk-faults';

/** An object's metadata: header names as stored (`Content-Length`, `ETag`, `X-Object-Meta-Color`...). */
export type ObjectMetadata = Record<string, string>;

/** Reads and writes the metadata beside a data, meta or tombstone file. */
export interface MetadataIo {
  readonly kind: 'xattr' | 'sidecar';
  /** The file system calls it makes (and the object disk's). */
  readonly io: DiskIo;
  write(path: string, meta: ObjectMetadata): void;
  /**
   * Makes what `write` wrote durable, before the file is renamed into place: a sidecar is a file
   * of its own to fsync; an xattr is the file's own inode, journalled by the directory's fsync
   * that follows the rename (nothing to do).
   */
  sync(path: string): Promise<void>;
  /**
   * The metadata stored for a file; undefined when none is stored. Throws CorruptMetadata when
   * what is stored does not decode to a map of strings, and the file system's error (ENOENT for
   * a file gone, EIO...) when it cannot be read.
   */
  read(path: string): ObjectMetadata | undefined;
  /** Moves a file with its metadata. */
  rename(from: string, to: string): void;
  /** Removes a file with its metadata. */
  remove(path: string): void;
  /** `remove` on the thread pool: a large file's removal (its pages freed, discards) takes a while. */
  removeAsync(path: string): Promise<void>;
  /** Whether a directory entry is metadata of another file (hidden from listings). */
  isSidecar(name: string): boolean;
}

/** Stored metadata that does not decode (not JSON, or not a map of strings). */
export class CorruptMetadata extends Error {
  override readonly name = 'CorruptMetadata';
}

const XATTR = 'user.swift.metadata';

/** Metadata as JSON in the `user.swift.metadata` extended attribute, as upstream keeps its pickle. */
export function xattrMetadataOn(io: DiskIo): MetadataIo {
  return {
    kind: 'xattr',
    io,
    write: (path, meta) => io.setXattrSync(path, XATTR, JSON.stringify(meta)),
    sync: async () => {},
    read(path) {
      const raw = io.getXattrSync(path, XATTR);
      return raw ? decode(raw.toString('utf8'), path) : undefined;
    },
    rename: (from, to) => io.renameSync(from, to),
    remove: (path) => io.unlinkSync(path),
    removeAsync: (path) => io.unlink(path),
    isSidecar: () => false,
  };
}

/** Metadata in a `.<file>.json` file beside the file, for filesystems without user xattrs. */
export function sidecarMetadataOn(io: DiskIo): MetadataIo {
  return {
    kind: 'sidecar',
    io,
    write: (path, meta) => io.writeFileSync(sidecar(path), JSON.stringify(meta)),
    async sync(path) {
      const file = await io.open(sidecar(path), 'r');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
    },
    read(path) {
      let raw: string;
      try {
        raw = io.readFileSync(sidecar(path), 'utf8');
      } catch (err) {
        // No sidecar: nothing stored (the caller tells a file gone from a file without metadata).
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return decode(raw, path);
    },
    rename(from, to) {
      io.renameSync(sidecar(from), sidecar(to));
      io.renameSync(from, to);
    },
    remove(path) {
      io.unlinkSync(path);
      if (io.existsSync(sidecar(path))) io.unlinkSync(sidecar(path));
    },
    async removeAsync(path) {
      await io.unlink(path);
      await io.unlink(sidecar(path)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    },
    isSidecar: (name) => name.startsWith('.') && name.endsWith('.json'),
  };
}

/** `xattrMetadataOn` the real file system. */
export const xattrMetadata: MetadataIo = xattrMetadataOn(nodeDiskIo);
/** `sidecarMetadataOn` the real file system. */
export const sidecarMetadata: MetadataIo = sidecarMetadataOn(nodeDiskIo);

function decode(raw: string, path: string): ObjectMetadata {
  let meta: unknown;
  try {
    meta = JSON.parse(raw);
  } catch (err) {
    throw new CorruptMetadata(`metadata of ${path} does not decode: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (
    typeof meta !== 'object' ||
    meta === null ||
    Array.isArray(meta) ||
    Object.values(meta).some((v) => typeof v !== 'string')
  )
    throw new CorruptMetadata(`metadata of ${path} is not a map of strings`);
  return meta as ObjectMetadata;
}

function sidecar(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.json`;
}

/** Picks xattrs when the devices' filesystem keeps user attributes, else sidecar files. */
export function probeMetadataIo(dir: string, io: DiskIo = nodeDiskIo): MetadataIo {
  const probe = `${dir}/.xattr-probe-${process.pid}`;
  try {
    io.writeFileSync(probe, '');
    io.setXattrSync(probe, XATTR, '{}');
    return io.getXattrSync(probe, XATTR) ? xattrMetadataOn(io) : sidecarMetadataOn(io);
  } catch {
    // No user attributes on this filesystem (ENOTSUP) or the probe failed: sidecar files work anywhere.
    return sidecarMetadataOn(io);
  } finally {
    try {
      io.unlinkSync(probe);
    } catch {
      // The probe was never made.
    }
  }
}
