import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { getAttributeSync, setAttributeSync } from '@napi-rs/xattr';

/** An object's metadata: header names as stored (`Content-Length`, `ETag`, `X-Object-Meta-Color`...). */
export type ObjectMetadata = Record<string, string>;

/** Reads and writes the metadata beside a data, meta or tombstone file. */
export interface MetadataIo {
  readonly kind: 'xattr' | 'sidecar';
  write(path: string, meta: ObjectMetadata): void;
  /**
   * Makes what `write` wrote durable, before the file is renamed into place: a sidecar is a file
   * of its own to fsync; an xattr is the file's own inode, journalled by the directory's fsync
   * that follows the rename (nothing to do).
   */
  sync(path: string): Promise<void>;
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

const XATTR = 'user.swift.metadata';

/** Metadata as JSON in the `user.swift.metadata` extended attribute, as upstream keeps its pickle. */
export const xattrMetadata: MetadataIo = {
  kind: 'xattr',
  write: (path, meta) => setAttributeSync(path, XATTR, JSON.stringify(meta)),
  sync: async () => {},
  read(path) {
    const raw = getAttributeSync(path, XATTR);
    return raw ? (JSON.parse(raw.toString('utf8')) as ObjectMetadata) : undefined;
  },
  rename: (from, to) => renameSync(from, to),
  remove: (path) => unlinkSync(path),
  removeAsync: (path) => unlink(path),
  isSidecar: () => false,
};

/** Metadata in a `.<file>.json` file beside the file, for filesystems without user xattrs. */
export const sidecarMetadata: MetadataIo = {
  kind: 'sidecar',
  write: (path, meta) => writeFileSync(sidecar(path), JSON.stringify(meta)),
  async sync(path) {
    const file = await open(sidecar(path), 'r');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
  },
  read(path) {
    try {
      return JSON.parse(readFileSync(sidecar(path), 'utf8')) as ObjectMetadata;
    } catch {
      return undefined;
    }
  },
  rename(from, to) {
    renameSync(sidecar(from), sidecar(to));
    renameSync(from, to);
  },
  remove(path) {
    unlinkSync(path);
    if (existsSync(sidecar(path))) unlinkSync(sidecar(path));
  },
  async removeAsync(path) {
    await unlink(path);
    await unlink(sidecar(path)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  },
  isSidecar: (name) => name.startsWith('.') && name.endsWith('.json'),
};

function sidecar(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.json`;
}

/** Picks xattrs when the devices' filesystem keeps user attributes, else sidecar files. */
export function probeMetadataIo(dir: string): MetadataIo {
  const probe = `${dir}/.xattr-probe-${process.pid}`;
  try {
    writeFileSync(probe, '');
    setAttributeSync(probe, XATTR, '{}');
    return getAttributeSync(probe, XATTR) ? xattrMetadata : sidecarMetadata;
  } catch {
    return sidecarMetadata;
  } finally {
    try {
      unlinkSync(probe);
    } catch {}
  }
}
