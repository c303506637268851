import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** Version of the `_metadata` and `_sha256file` layout (upstream's chunked driver `1.0.0`). */
export const BACKUP_FORMAT_VERSION = '1.0.0';

/** One chunk object as `_metadata` lists it: where its bytes go and how they are stored. */
export interface ChunkEntry {
  /** Byte offset in the volume. */
  offset: number;
  /** Bytes of volume it holds (before compression). */
  length: number;
  compression: 'none' | 'zlib';
  /** MD5 (hex) of the chunk's volume bytes, before compression (as upstream records it). */
  md5: string;
}

/** The `<prefix>_metadata` object (upstream's keys). */
export interface BackupMetadataObject {
  version: string;
  backup_id: string;
  volume_id: string;
  backup_name: string | null;
  backup_description: string | null;
  created_at: string;
  /** In write order, each a one-key map from object name to its entry. */
  objects: Record<string, ChunkEntry>[];
  parent_id: string | null;
  volume_meta: string | null;
}

/** The `<prefix>_sha256file` object: SHA-256 (hex) of every `chunk_size` block of the volume. */
export interface Sha256FileObject {
  version: string;
  backup_id: string;
  volume_id: string;
  backup_name: string | null;
  backup_description: string | null;
  created_at: string;
  chunk_size: number;
  sha256s: string[];
}

/** Upstream's object names: `<prefix>-00001`, `<prefix>_metadata`, `<prefix>_sha256file`. */
export const chunkName = (prefix: string, n: number) => `${prefix}-${String(n).padStart(5, '0')}`;
export const metadataName = (prefix: string) => `${prefix}_metadata`;
export const sha256FileName = (prefix: string) => `${prefix}_sha256file`;

/** Digests of all-zero buffers by algorithm and length: sparse volumes are mostly zeros. */
const zeroDigests = new Map<string, string>();

/** Bytes hashed between two turns of the event loop: a 50 MiB chunk must not stall the API. */
const SLICE_BYTES = 2 * 1024 * 1024;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function digest(algorithm: string, data: Buffer): Promise<string> {
  const hash = createHash(algorithm);
  for (let at = 0; at < data.length; at += SLICE_BYTES) {
    hash.update(data.subarray(at, at + SLICE_BYTES));
    if (at + SLICE_BYTES < data.length) await yieldToLoop();
  }
  return hash.digest('hex');
}

async function digestOf(algorithm: string, data: Buffer): Promise<string> {
  if (!isZero(data)) return digest(algorithm, data);
  const key = `${algorithm}:${data.length}`;
  let known = zeroDigests.get(key);
  if (!known) {
    known = await digest(algorithm, data);
    if (zeroDigests.size > 16) zeroDigests.clear();
    zeroDigests.set(key, known);
  }
  return known;
}

/** SHA-256 (hex) of each `blockSize` block of `data`, yielding to the event loop as it goes. */
export async function blockHashes(data: Buffer, blockSize: number): Promise<string[]> {
  const out: string[] = [];
  let sinceYield = 0;
  for (let at = 0; at < data.length; at += blockSize) {
    out.push(await digestOf('sha256', data.subarray(at, at + blockSize)));
    sinceYield += blockSize;
    if (sinceYield >= SLICE_BYTES) {
      sinceYield = 0;
      await yieldToLoop();
    }
  }
  return out;
}

/** MD5 (hex) of `data`. */
export const md5Hex = (data: Buffer): Promise<string> => digestOf('md5', data);

/** Bytes sampled to decide whether compressing a chunk is worth it. */
const SAMPLE_BYTES = 256 * 1024;
const zeroCache = new Map<number, Buffer>();

/**
 * A chunk as stored: zlib-compressed when that makes it smaller, else as is (upstream stores
 * `none` for a chunk compression does not shrink). Data that does not compress (a sample shrinks
 * under 10 %) is not compressed at all, and all-zero chunks reuse one compressed copy per size.
 */
export async function packChunk(
  data: Buffer,
  compression: 'none' | 'zlib',
): Promise<{ stored: Buffer; compression: 'none' | 'zlib' }> {
  if (compression === 'none') return { stored: data, compression: 'none' };
  if (isZero(data)) {
    let packed = zeroCache.get(data.length);
    if (!packed) {
      packed = await deflateAsync(data, { level: 1 });
      if (zeroCache.size > 8) zeroCache.clear();
      zeroCache.set(data.length, packed);
    }
    return { stored: packed, compression: 'zlib' };
  }
  if (data.length > SAMPLE_BYTES) {
    const sample = await deflateAsync(data.subarray(0, SAMPLE_BYTES), { level: 1 });
    if (sample.length > SAMPLE_BYTES * 0.9) return { stored: data, compression: 'none' };
  }
  const packed = await deflateAsync(data, { level: 1 });
  return packed.length < data.length
    ? { stored: packed, compression: 'zlib' }
    : { stored: data, compression: 'none' };
}

/** The volume bytes of a stored chunk. */
export async function unpackChunk(stored: Buffer, compression: string): Promise<Buffer> {
  if (compression === 'none' || !compression) return stored;
  if (compression === 'zlib') return inflateAsync(stored);
  throw new Error(`unsupported backup compression ${compression}`);
}

const ZERO = Buffer.alloc(1024 * 1024);

/** True when every byte of `data` is zero. */
export function isZero(data: Buffer): boolean {
  for (let at = 0; at < data.length; at += ZERO.length) {
    const part = data.subarray(at, at + ZERO.length);
    if (!part.equals(ZERO.subarray(0, part.length))) return false;
  }
  return true;
}
