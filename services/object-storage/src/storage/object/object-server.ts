import type { DiskIo } from '@nimbus/disk-faults';
import type { Logger } from '@nimbus/logging';
import { md5Threads } from '../../common/md5-threads';
import { applyRange, checkConditions } from '../../common/ranges';
import { OBJECT_STORED_HEADERS } from '../../common/stored-headers';
import { errorResponse, response, type SwiftRequest, type SwiftResponse } from '../../common/swift-http';
import { httpDate, parseTimestamp } from '../../common/timestamp';
import { type HashPathSalt, hashPath, hashPathHex } from '../../ring/hash-path';
import type { NodeClient } from '../node-client';
import { AsyncPendingStore } from './async-pending';
import { isPostable, type ObjectDisk, type ObjectState } from './disk-file';
import type { DiskWriter } from './disk-writer';
import { FileBody } from './file-body';
import type { ObjectMetadata } from './metadata-io';
import { ObjectCache } from './object-cache';
import type { SuffixHashIndex } from './suffix-hashes';
import { isGone, isXattrUnsupported, UnreadableObject } from './unreadable-object';

/** Objects this small are read whole with the metadata instead of streamed. */
const SMALL_OBJECT = 64 * 1024;

/** Headers a PUT stores besides the user metadata. */
const STORED_HEADERS = OBJECT_STORED_HEADERS;

/** A path split into its storage parts. */
interface ObjectPath {
  device: string;
  part: string;
  account: string;
  container: string;
  object: string;
}

function splitPath(path: string): ObjectPath | undefined {
  const parts = path.split('/');
  if (parts.length < 6 || parts[0] !== '') return undefined;
  const [, device, part, account, container, ...rest] = parts;
  const object = rest.join('/');
  if (!device || !part || !account || !container || !object) return undefined;
  return { device, part, account, container, object };
}

/** Header name as stored (`X-Object-Meta-Color`). */
function titleCase(key: string): string {
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * The object server: stores each object replica on one of its devices and answers for it.
 * GET/HEAD/PUT/POST/DELETE on `/<device>/<part>/<account>/<container>/<object>`, REPLICATE on
 * `/<device>/<part>[/<suffix>-<suffix>...]` for replicators. Writes are durable (fsync) before
 * they are acknowledged, older timestamps lose to newer ones, and deletes leave tombstones.
 * After each write the container listing is updated, or an async pending update is left for
 * the updater.
 *
 * A replica it cannot read (an I/O error, metadata that does not decode, data shorter than its
 * metadata says) is quarantined, as upstream's diskfile does: its hash directory moves to
 * `<device>/quarantined/objects/<hash>` and its suffix is invalidated, so the replicator puts a
 * good copy back. The request is answered 500, never 404: the proxy then reads another replica,
 * and a client never hears "not found" for an object this server could not read.
 */
export class ObjectServer {
  private readonly pending: AsyncPendingStore;

  constructor(
    private readonly disk: ObjectDisk,
    private readonly hashes: SuffixHashIndex,
    private readonly salt: HashPathSalt,
    private readonly nodes: NodeClient,
    private readonly log: Logger,
    readonly cache = new ObjectCache(),
  ) {
    this.pending = new AsyncPendingStore(disk.root, log, disk.io);
  }

  readonly handle = async (req: SwiftRequest): Promise<SwiftResponse> => {
    if (req.method === 'REPLICATE') return this.replicate(req);
    const p = splitPath(req.path);
    if (!p) return errorResponse(400, 'Invalid path');
    if (!this.disk.mounted(p.device)) return errorResponse(507);
    const hash = hashPathHex(this.salt, p.account, p.container, p.object);
    const dir = this.disk.hashDir(p.device, p.part, hash);
    try {
      switch (req.method) {
        case 'GET':
        case 'HEAD':
          return this.get(req, p, dir);
        case 'PUT':
          return await this.put(req, p, hash, dir);
        case 'POST':
          return await this.post(req, p, hash, dir);
        case 'DELETE':
          return await this.delete(req, p, hash, dir);
        default:
          return errorResponse(405);
      }
    } catch (err) {
      if (err instanceof UnreadableObject) return this.unreadable(err, p, dir);
      // Upstream answers 507 when the device's filesystem keeps no extended attributes.
      if (isXattrUnsupported(err)) {
        this.log.error({ err, device: p.device }, 'device keeps no extended attributes');
        return errorResponse(507);
      }
      throw err;
    }
  };

  /**
   * Quarantines a replica that could not be read and answers 500 (see the class comment). A
   * quarantine that fails is logged too; the answer is the same.
   */
  private unreadable(err: UnreadableObject, p: ObjectPath, dir: string): SwiftResponse {
    this.cache.invalidate(dir);
    try {
      const to = this.disk.quarantine(dir);
      this.log.error({ err, quarantinedTo: to }, 'object quarantined: %s', err.reason);
    } catch (failed) {
      if (!isGone(failed))
        this.log.error({ err: failed, reason: err.reason, dir }, 'cannot quarantine an unreadable object');
    }
    this.hashes.invalidate(p.device, p.part, dir.slice(-3));
    return errorResponse(500, 'Object unreadable; quarantined');
  }

  /**
   * The object's state for a write: one that cannot be read is quarantined first and counts as
   * missing, as upstream's PUT and DELETE do (the write replaces it).
   */
  private stateForWrite(p: ObjectPath, dir: string): ObjectState {
    try {
      return this.disk.read(dir);
    } catch (err) {
      if (!(err instanceof UnreadableObject)) throw err;
      this.unreadable(err, p, dir);
      return this.disk.read(dir);
    }
  }

  /**
   * A writer on the device; undefined (logged) when the file cannot be made there (ENOSPC, EIO,
   * a read-only filesystem), which upstream answers 507 so the proxy writes to a handoff.
   */
  private async newWriter(device: string): Promise<DiskWriter | undefined> {
    try {
      return await this.disk.createWriter(device);
    } catch (err) {
      this.log.warn({ err, device }, 'cannot start a write on the device');
      return undefined;
    }
  }

  private get(req: SwiftRequest, p: ObjectPath, dir: string, again = false): SwiftResponse {
    const cached = this.cache.get(dir);
    const state = cached?.state ?? this.disk.read(dir);
    if (state.status !== 'present' || this.expired(state)) {
      const headers: Record<string, string> = {};
      if (state.timestamp) headers['x-backend-timestamp'] = state.timestamp;
      if (state.status === 'deleted') headers['x-backend-deleted'] = 'true';
      return errorResponse(404, undefined, headers);
    }
    const meta = state.metadata;
    const size = Number(meta['Content-Length'] ?? 0);
    const etag = meta.ETag ?? '';
    const headers = this.responseHeaders(state);
    const denied = checkConditions(req.headers, etag, Math.ceil(Number(state.timestamp)), req.method, {
      'x-timestamp': headers['x-timestamp']!,
      'last-modified': headers['last-modified']!,
      'x-backend-timestamp': headers['x-backend-timestamp']!,
    });
    if (denied) return denied;
    if (req.method === 'HEAD') return response(200, undefined, headers);
    const range = keepsRange(req, meta) ? req.headers.range : undefined;
    const path = state.dataPath!;
    if (size <= SMALL_OBJECT) {
      let data = cached?.data;
      if (!data) {
        try {
          data = readSmall(this.disk.io, path, size);
        } catch (err) {
          // Replaced and cleaned up since the listing: read the directory again, once.
          if (isGone(err) && !again) {
            this.cache.invalidate(dir);
            return this.get(req, p, dir, true);
          }
          if (err instanceof UnreadableObject) throw err;
          throw new UnreadableObject(path, `data unreadable: ${(err as Error).message}`, { cause: err });
        }
        this.cache.set(dir, state, data);
      }
      const body = data;
      return applyRange(response(200, undefined, headers), range, data.length, (s, e) =>
        body.subarray(s, e + 1),
      );
    }
    // A large object's failure shows while it streams: quarantined then, the response cut short.
    const onUnreadable = (err: UnreadableObject) => this.unreadable(err, p, dir);
    return applyRange(
      response(200, undefined, headers),
      range,
      size,
      (s, e) => new FileBody(path, s, e, this.disk.io, onUnreadable),
    );
  }

  private responseHeaders(state: ObjectState): Record<string, string> {
    const meta = state.metadata;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta)) {
      const key = k.toLowerCase();
      if (key === 'name' || key === 'x-timestamp') continue;
      headers[key] = v;
    }
    headers.etag = meta.ETag ?? '';
    headers['content-length'] = meta['Content-Length'] ?? '0';
    headers['x-timestamp'] = meta['X-Timestamp'] ?? state.timestamp!;
    headers['last-modified'] = httpDate(meta['X-Timestamp'] ?? state.timestamp!);
    headers['x-backend-timestamp'] = meta['X-Timestamp'] ?? state.timestamp!;
    headers['x-backend-data-timestamp'] = state.timestamp!;
    headers['accept-ranges'] = 'bytes';
    return headers;
  }

  private expired(state: ObjectState, now = Date.now() / 1000): boolean {
    const at = state.metadata['X-Delete-At'];
    return at !== undefined && Number(at) <= now;
  }

  /** 409 with the existing timestamp when a newer or equal write is already here. */
  private conflict(state: ObjectState, ts: string): SwiftResponse | undefined {
    const existing =
      state.metaTimestamp && state.metaTimestamp > (state.timestamp ?? '')
        ? state.metaTimestamp
        : state.timestamp;
    if (state.timestamp && state.timestamp >= ts)
      return errorResponse(409, undefined, { 'x-backend-timestamp': existing ?? state.timestamp });
    return undefined;
  }

  private async put(req: SwiftRequest, p: ObjectPath, hash: string, dir: string): Promise<SwiftResponse> {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const before = this.stateForWrite(p, dir);
    const conflict = this.conflict(before, ts);
    if (conflict) {
      await drain(req.body);
      return conflict;
    }
    const ifNone = req.headers['if-none-match'];
    if (ifNone === '*' && before.status === 'present' && !this.expired(before)) {
      await drain(req.body);
      return errorResponse(412, undefined, { 'x-backend-timestamp': before.timestamp! });
    }
    const expected =
      req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
    const writer = await this.newWriter(p.device);
    if (!writer) {
      await drain(req.body);
      return errorResponse(507);
    }
    const precomputed = req.env.bodyMd5 as Promise<string | undefined> | undefined;
    // A replica sent over HTTP hashes its body itself, on the MD5 thread.
    const md5 = precomputed ? undefined : md5Threads.open(['md5'], expected);
    let size = 0;
    // A failure of the disk (ENOSPC, EIO) is the server's, answered 507; one of the body is the client's.
    let diskFailure: unknown;
    try {
      if (req.body) {
        for await (const chunk of req.body) {
          const hashing = md5?.update(chunk);
          if (hashing) await hashing;
          size += chunk.length;
          try {
            await writer.write(chunk);
          } catch (err) {
            diskFailure = err;
            break;
          }
        }
      }
    } catch (err) {
      md5?.abort();
      await writer.abort();
      this.log.debug({ err }, 'object upload ended early');
      return errorResponse(499);
    }
    if (diskFailure !== undefined) {
      md5?.abort();
      await writer.abort();
      this.log.warn({ err: diskFailure, device: p.device }, 'object write failed');
      return errorResponse(507);
    }
    if (expected !== undefined && size !== expected) {
      md5?.abort();
      await writer.abort();
      return errorResponse(499);
    }
    const etag = md5
      ? await md5.digest().then(
          ([d]) => d,
          () => undefined,
        )
      : await precomputed!;
    if (etag === undefined) {
      await writer.abort();
      return errorResponse(499);
    }
    const wanted = req.headers.etag?.replace(/"/g, '').toLowerCase();
    if (wanted && wanted !== etag) {
      await writer.abort();
      return errorResponse(422);
    }
    const meta: ObjectMetadata = {
      name: `/${p.account}/${p.container}/${p.object}`,
      'X-Timestamp': ts,
      'Content-Type': req.headers['content-type'] || 'application/octet-stream',
      ETag: etag,
      'Content-Length': String(size),
    };
    for (const [k, v] of Object.entries(req.headers)) {
      if (
        k.startsWith('x-object-meta-') ||
        k.startsWith('x-object-sysmeta-') ||
        k.startsWith('x-object-transient-sysmeta-') ||
        STORED_HEADERS.includes(k)
      )
        meta[titleCase(k)] = v;
    }
    try {
      this.cache.invalidate(dir);
      await writer.commit(dir, `${ts}.data`, meta);
      this.cache.invalidate(dir);
    } catch (err) {
      await writer.abort();
      this.log.warn({ err }, 'object write failed');
      return errorResponse(507);
    }
    this.hashes.invalidate(p.device, p.part, hash.slice(-3));
    if (!req.headers['x-backend-replication']) {
      await this.updateContainer(req, p, 'PUT', ts, {
        'x-size': String(size),
        'x-content-type': meta['Content-Type']!,
        'x-etag': req.headers['x-object-sysmeta-container-update-override-etag'] ?? etag,
      });
    }
    return response(201, undefined, { etag, 'x-backend-timestamp': ts });
  }

  private async post(req: SwiftRequest, p: ObjectPath, hash: string, dir: string): Promise<SwiftResponse> {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const state = this.disk.read(dir);
    if (state.status !== 'present' || this.expired(state))
      return errorResponse(404, undefined, state.timestamp ? { 'x-backend-timestamp': state.timestamp } : {});
    const latest =
      state.metaTimestamp && state.metaTimestamp > state.timestamp! ? state.metaTimestamp : state.timestamp!;
    if (latest >= ts) return errorResponse(409, undefined, { 'x-backend-timestamp': latest });
    const meta: ObjectMetadata = { 'X-Timestamp': ts };
    for (const [k, v] of Object.entries(req.headers))
      if (isPostable(k) && k !== 'content-type') meta[titleCase(k)] = v;
    if (req.headers['content-type']) meta['Content-Type'] = req.headers['content-type'];
    else if (state.metadata['Content-Type']) meta['Content-Type'] = state.metadata['Content-Type'];
    const writer = await this.newWriter(p.device);
    if (!writer) return errorResponse(507);
    try {
      this.cache.invalidate(dir);
      await writer.commit(dir, `${ts}.meta`, meta);
      this.cache.invalidate(dir);
    } catch (err) {
      await writer.abort();
      this.log.warn({ err }, 'object metadata write failed');
      return errorResponse(507);
    }
    this.hashes.invalidate(p.device, p.part, hash.slice(-3));
    return response(202, undefined, { 'x-backend-timestamp': ts });
  }

  private async delete(req: SwiftRequest, p: ObjectPath, hash: string, dir: string): Promise<SwiftResponse> {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const state = this.stateForWrite(p, dir);
    const ifDeleteAt = req.headers['x-if-delete-at'];
    if (ifDeleteAt !== undefined) {
      if (state.status !== 'present') return errorResponse(404);
      if (state.metadata['X-Delete-At'] !== ifDeleteAt) return errorResponse(412);
    }
    const conflict = this.conflict(state, ts);
    if (conflict) return conflict;
    const existed = state.status === 'present' && !this.expired(state);
    const writer = await this.newWriter(p.device);
    if (!writer) return errorResponse(507);
    try {
      this.cache.invalidate(dir);
      await writer.commit(dir, `${ts}.ts`, {
        'X-Timestamp': ts,
        name: `/${p.account}/${p.container}/${p.object}`,
      });
      this.cache.invalidate(dir);
    } catch (err) {
      await writer.abort();
      this.log.warn({ err }, 'tombstone write failed');
      return errorResponse(507);
    }
    this.hashes.invalidate(p.device, p.part, hash.slice(-3));
    if (!req.headers['x-backend-replication']) await this.updateContainer(req, p, 'DELETE', ts, {});
    return response(existed ? 204 : 404, undefined, { 'x-backend-timestamp': ts });
  }

  /**
   * Tells the container servers the proxy named about the change; any that cannot be reached get
   * an async pending file the updater replays.
   */
  private async updateContainer(
    req: SwiftRequest,
    p: ObjectPath,
    method: 'PUT' | 'DELETE',
    ts: string,
    extra: Record<string, string>,
  ): Promise<void> {
    const hosts = (req.headers['x-container-host'] ?? '').split(',').filter(Boolean);
    const devices = (req.headers['x-container-device'] ?? '').split(',');
    const part = req.headers['x-container-partition'];
    if (!hosts.length || part === undefined) return;
    const headers = { 'x-timestamp': ts, ...extra };
    const path = `/${p.account}/${p.container}/${p.object}`;
    await Promise.all(
      hosts.map(async (host, i) => {
        const [ip, port] = splitHost(host);
        const node = { ip, port, device: devices[i] ?? devices[0]! };
        const res = await this.nodes.request(node, part, method, path, headers);
        if (res.status >= 200 && res.status < 300) return;
        const hash = hashPath(this.salt, p.account, p.container, p.object).toString('hex');
        await this.pending.save(p.device, hash, {
          op: method,
          account: p.account,
          container: p.container,
          obj: p.object,
          headers,
          node,
          part,
        });
      }),
    );
  }

  /** `REPLICATE /<device>/<part>[/<suffixes joined by ->]`: the partition's suffix hashes, JSON. */
  private replicate(req: SwiftRequest): SwiftResponse {
    const [, device, part, suffixes] = req.path.split('/');
    if (!device || !part || !/^\d+$/.test(part)) return errorResponse(400, 'Invalid path');
    if (!this.disk.mounted(device)) return errorResponse(507);
    const recalc = suffixes ? suffixes.split('-').filter((s) => /^[0-9a-f]{3}$/.test(s)) : [];
    const hashes = this.hashes.get(device, part, recalc);
    return response(200, JSON.stringify(hashes), { 'content-type': 'application/json' });
  }
}

/** Whether a GET's Range applies to this object's bytes (not when a listed metadata key is present). */
function keepsRange(req: SwiftRequest, meta: ObjectMetadata): boolean {
  const unless = req.headers['x-backend-ignore-range-if-metadata-present'];
  if (!unless) return true;
  const present = new Set(Object.keys(meta).map((k) => k.toLowerCase()));
  return !unless.split(',').some((k) => present.has(k.trim().toLowerCase()));
}

/**
 * Reads a small file of known size: open, one read, close. Throws UnreadableObject when the file
 * holds fewer bytes than its metadata says, the file system's error when it cannot be read.
 */
function readSmall(io: DiskIo, path: string, size: number): Buffer {
  const fd = io.openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = io.readSync(fd, buf, off, size - off, off);
      if (n === 0) throw new UnreadableObject(path, `data is ${off} bytes, metadata says ${size}`);
      off += n;
    }
    return buf;
  } finally {
    io.closeSync(fd);
  }
}

export function splitHost(host: string): [string, number] {
  const i = host.lastIndexOf(':');
  return [host.slice(0, i).replace(/^\[|\]$/g, ''), Number(host.slice(i + 1))];
}

async function drain(body: AsyncIterable<Buffer> | undefined): Promise<void> {
  if (body)
    for await (const _ of body) {
    }
}
