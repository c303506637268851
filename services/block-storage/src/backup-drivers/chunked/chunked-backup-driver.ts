import { open } from 'node:fs/promises';
import {
  type BackupDriver,
  BackupDriverError,
  type BackupRecord,
  type BackupRequest,
  type BackupResult,
  type DeleteBackupRequest,
  type RestoreRequest,
} from '../backup-driver-api';
import {
  BACKUP_FORMAT_VERSION,
  type BackupMetadataObject,
  blockHashes,
  type ChunkEntry,
  chunkName,
  md5Hex,
  metadataName,
  packChunk,
  type Sha256FileObject,
  sha256FileName,
  unpackChunk,
} from './backup-objects';
import type { ChunkStore } from './chunk-store';

/** How a chunked driver cuts and names its objects. */
export interface ChunkedSettings {
  /** Bytes of volume per object (a multiple of `shaBlockSizeBytes`). */
  chunkSizeBytes: number;
  /** Bytes per SHA-256 block: the unit an incremental backup compares. */
  shaBlockSizeBytes: number;
  compression: 'none' | 'zlib';
  /** The container a backup without one goes to. */
  defaultContainer(backup: BackupRecord): string;
  /** The object name prefix of a new backup (kept as its `service_metadata`). */
  prefix(backup: BackupRecord): string;
}

/** Objects written or read concurrently: one being read or written locally while others travel. */
const IN_FLIGHT = 3;

/**
 * Upstream's chunked backup layout over any `ChunkStore`: the volume cut into objects
 * `<prefix>-00001`…, each zlib-compressed when that helps, listed with offset, length and MD5 in
 * `<prefix>_metadata`, and the SHA-256 of every block in `<prefix>_sha256file`. An incremental
 * backup stores only the extents whose block hashes differ from its parent's; a restore replays
 * the chain from the full backup. A failed or cancelled backup deletes what it wrote.
 */
export abstract class ChunkedBackupDriver implements BackupDriver {
  abstract readonly name: string;

  constructor(protected readonly settings: ChunkedSettings) {
    if (settings.chunkSizeBytes % settings.shaBlockSizeBytes !== 0)
      throw new BackupDriverError('The backup chunk size must be a multiple of the SHA block size.');
  }

  abstract init(): Promise<void>;

  /** The store a call works against (the object-store driver's comes with the request). */
  protected abstract storeFor(request: { objectStore?: unknown }): ChunkStore;

  async backup(request: BackupRequest): Promise<BackupResult> {
    const { backup, source } = request;
    const store = this.storeFor(request);
    const { chunkSizeBytes, shaBlockSizeBytes } = this.settings;
    const parentHashes = backup.parent ? await this.parentHashes(store, backup.parent) : undefined;
    const container = backup.container || this.settings.defaultContainer(backup);
    const prefix = this.settings.prefix(backup);
    await this.guard(() => store.ensureContainer(container), `create container ${container}`);

    const objects: Record<string, ChunkEntry>[] = [];
    const hashes: string[] = [];
    const pending: Promise<void>[] = [];
    let done = 0;
    const put = (data: Buffer, offset: number) => {
      const name = chunkName(prefix, objects.length + 1);
      const entry: ChunkEntry = { offset, length: data.length, compression: 'none', md5: '' };
      objects.push({ [name]: entry });
      return (async () => {
        const packed = await packChunk(data, this.settings.compression);
        entry.compression = packed.compression;
        entry.md5 = await md5Hex(data);
        const storedMd5 = packed.stored === data ? entry.md5 : await md5Hex(packed.stored);
        const etag = await this.guard(() => store.put(container, name, packed.stored), `store ${name}`);
        // The store's ETag is the MD5 of what it holds: a mismatch means the bytes were damaged on the way.
        if (etag && etag.replaceAll('"', '') !== storedMd5)
          throw new BackupDriverError(`Object ${name} was stored with MD5 ${etag}, expected ${storedMd5}.`);
      })();
    };

    const handle = await open(source.path, 'r');
    try {
      for (let offset = 0; offset < source.sizeBytes; offset += chunkSizeBytes) {
        if (request.signal?.aborted) throw new BackupDriverError(`Backup ${backup.id} was cancelled.`);
        const data = Buffer.allocUnsafe(Math.min(chunkSizeBytes, source.sizeBytes - offset));
        const { bytesRead } = await handle.read(data, 0, data.length, offset);
        if (bytesRead < data.length) data.fill(0, bytesRead);
        const blocks = await blockHashes(data, shaBlockSizeBytes);
        const first = hashes.length;
        hashes.push(...blocks);
        const writes: [number, number][] = parentHashes
          ? changedExtents(blocks, parentHashes, first, shaBlockSizeBytes, data.length)
          : [[0, data.length]];
        for (const [from, to] of writes) {
          const write = put(data.subarray(from, to), offset + from);
          // Handled where awaited; this keeps a failure that lands meanwhile from going unhandled.
          write.catch(() => undefined);
          pending.push(write);
          while (pending.length >= IN_FLIGHT) await pending.shift();
        }
        done += data.length;
        request.onProgress?.(done, source.sizeBytes);
      }
      while (pending.length) await pending.shift();
      const common = this.common(backup);
      const shaFile: Sha256FileObject = { ...common, chunk_size: shaBlockSizeBytes, sha256s: hashes };
      await this.guard(
        () => store.put(container, sha256FileName(prefix), json(shaFile)),
        'store the SHA-256 file',
      );
      const metadata: BackupMetadataObject = {
        ...common,
        objects,
        parent_id: backup.parent?.id ?? backup.parentId ?? null,
        volume_meta: null,
      };
      await this.guard(
        () => store.put(container, metadataName(prefix), json(metadata)),
        'store the metadata',
      );
    } catch (err) {
      await Promise.allSettled(pending);
      await this.removePrefix(store, container, prefix).catch(() => undefined);
      await store.containerEmptied?.(container).catch(() => undefined);
      throw err instanceof BackupDriverError
        ? err
        : new BackupDriverError(`Backup ${backup.id} failed: ${err}`, { cause: err });
    } finally {
      await handle.close();
    }
    return {
      container,
      serviceMetadata: prefix,
      objectCount: objects.length + 2,
      sizeBytes: source.sizeBytes,
    };
  }

  async restore(request: RestoreRequest): Promise<void> {
    const store = this.storeFor(request);
    const chain = request.chain.length ? request.chain : [request.backup];
    // Every backup's object list first: a chain that does not fit is refused before any write.
    const plans: { record: BackupRecord; entries: [string, ChunkEntry][] }[] = [];
    for (const record of chain) {
      const metadata = await this.readJson<BackupMetadataObject>(store, record, metadataName);
      plans.push({ record, entries: metadata.objects.flatMap((o) => Object.entries(o)) });
    }
    const entries = plans.flatMap((p) => p.entries);
    const end = Math.max(0, ...entries.map(([, e]) => e.offset + e.length));
    if (end > request.target.sizeBytes)
      throw new BackupDriverError(
        `Backup ${request.backup.id} holds ${end} bytes, more than the ${request.target.sizeBytes}-byte target.`,
      );
    const total = entries.reduce((sum, [, e]) => sum + e.length, 0);
    let done = 0;
    const handle = await open(request.target.path, 'r+');
    try {
      for (const { record, entries } of plans) {
        const fetch = (name: string) => {
          const read = this.guard(() => store.get(record.container!, name), `read ${name}`);
          read.catch(() => undefined);
          return read;
        };
        const queue = entries.slice(0, IN_FLIGHT).map(([name]) => fetch(name));
        for (let i = 0; i < entries.length; i++) {
          if (request.signal?.aborted)
            throw new BackupDriverError(`Restore of backup ${request.backup.id} was cancelled.`);
          const [name, entry] = entries[i]!;
          const stored = await queue.shift()!;
          const next = entries[i + IN_FLIGHT];
          if (next) queue.push(fetch(next[0]));
          if (!stored)
            throw new BackupDriverError(`Backup object ${name} is missing from ${record.container}.`);
          const data = await unpackChunk(stored, entry.compression).catch((err: unknown) => {
            throw new BackupDriverError(`Backup object ${name} cannot be decompressed: ${err}`);
          });
          if (data.length !== entry.length || (await md5Hex(data)) !== entry.md5)
            throw new BackupDriverError(
              `Backup object ${name} is corrupt (its length or MD5 differs from the metadata).`,
            );
          await handle.write(data, 0, data.length, entry.offset);
          done += data.length;
          request.onProgress?.(done, total);
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async delete(request: DeleteBackupRequest): Promise<void> {
    const { backup } = request;
    if (!backup.serviceMetadata || !backup.container) return;
    const store = this.storeFor(request);
    await this.removePrefix(store, backup.container, backup.serviceMetadata);
    await store.containerEmptied?.(backup.container);
  }

  private async removePrefix(store: ChunkStore, container: string, prefix: string): Promise<void> {
    const names = await this.guard(() => store.list(container, prefix), `list ${prefix}`);
    // Only this backup's objects: `<prefix>-NNNNN`, `<prefix>_metadata`, `<prefix>_sha256file`.
    for (const name of names.filter((n) => n.startsWith(`${prefix}-`) || n.startsWith(`${prefix}_`)))
      await this.guard(() => store.delete(container, name), `delete ${name}`);
  }

  private async parentHashes(store: ChunkStore, parent: BackupRecord): Promise<string[]> {
    const file = await this.readJson<Sha256FileObject>(store, parent, sha256FileName);
    if (file.chunk_size !== this.settings.shaBlockSizeBytes)
      throw new BackupDriverError(
        `Parent backup ${parent.id} used ${file.chunk_size}-byte SHA blocks, this driver ${this.settings.shaBlockSizeBytes}.`,
      );
    return file.sha256s;
  }

  private async readJson<T>(
    store: ChunkStore,
    record: BackupRecord,
    name: (prefix: string) => string,
  ): Promise<T> {
    if (!record.container || !record.serviceMetadata)
      throw new BackupDriverError(`Backup ${record.id} has no container or object prefix.`);
    const object = name(record.serviceMetadata);
    const body = await this.guard(() => store.get(record.container!, object), `read ${object}`);
    if (!body) throw new BackupDriverError(`Backup object ${object} is missing from ${record.container}.`);
    return JSON.parse(body.toString('utf8')) as T;
  }

  private common(backup: BackupRecord) {
    return {
      version: BACKUP_FORMAT_VERSION,
      backup_id: backup.id,
      volume_id: backup.volumeId,
      backup_name: backup.name ?? null,
      backup_description: backup.description ?? null,
      created_at: backup.createdAt ?? new Date().toISOString(),
    };
  }

  /** Runs a store call; its failure becomes a retryable `BackupDriverError` saying what failed. */
  private async guard<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof BackupDriverError) throw err;
      throw new BackupDriverError(`Could not ${what}: ${(err as Error).message ?? err}`, {
        cause: err,
        retryable: true,
      });
    }
  }
}

/** Byte ranges `[from, to)` of `data` whose blocks differ from the parent's (blocks past its end differ). */
export function changedExtents(
  blocks: string[],
  parent: string[],
  firstIndex: number,
  blockSize: number,
  length: number,
): [number, number][] {
  const extents: [number, number][] = [];
  let start = -1;
  blocks.forEach((hash, i) => {
    const changed = parent[firstIndex + i] !== hash;
    if (changed && start < 0) start = i * blockSize;
    if (!changed && start >= 0) {
      extents.push([start, i * blockSize]);
      start = -1;
    }
  });
  if (start >= 0) extents.push([start, length]);
  return extents;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
