import type { Logger } from '@nimbus/logging';
import {
  errorResponse,
  readBody,
  response,
  type SwiftRequest,
  type SwiftResponse,
} from '../../common/swift-http';
import { isoDate, parseTimestamp } from '../../common/timestamp';
import type { HashPathSalt } from '../../ring/hash-path';
import type { BrokerPool } from './broker-pool';
import type { ContainerBroker, ObjectRecord } from './container-broker';
import type { ReplicationAnswer, ReplicationPush } from './replication-push';
import { clearMarker, setMarker } from './db-markers';
import { dbPath, metadataHeaders, splitDbPath } from './db-paths';
import { listingQuery } from './listing-query';

/** What a container reports to its account. */
export interface ContainerReport {
  account: string;
  container: string;
  put_timestamp: string;
  delete_timestamp: string;
  object_count: number;
  bytes_used: number;
}

/** Sends a container's report to the account servers (answers whether a quorum took it). */
export type AccountReporter = (report: ContainerReport) => Promise<boolean>;

/**
 * The container server: one database per container replica, holding its object listing, counts
 * and metadata. Object servers send it each object's PUT and DELETE; it reports its counts to
 * the account (at once for container changes, batched for object changes).
 */
export class ContainerServer {
  private readonly dirty = new Map<string, ContainerBroker>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string,
    private readonly salt: HashPathSalt,
    private readonly pool: BrokerPool<ContainerBroker>,
    private readonly reportToAccount: AccountReporter,
    private readonly log: Logger,
    /** The object disk's mount check: one cached answer per device for all three servers. */
    private readonly mounted: (device: string) => boolean,
    private readonly reportDelayMs = 50,
  ) {}

  readonly handle = async (req: SwiftRequest): Promise<SwiftResponse> => {
    const p = splitDbPath(req.path);
    if (!p?.container) return errorResponse(400, 'Invalid path');
    if (!this.mounted(p.device)) return errorResponse(507);
    const path = dbPath(this.root, p.device, p.part, 'container', this.salt, p.account, p.container);
    const res = await this.dispatch(req, path, p.account, p.container, p.object);
    // A REPLICATE adds its database itself, only when the push changed it: otherwise replicas
    // would push to each other in turn forever.
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'REPLICATE' && res.status < 300)
      this.changed.add(path);
    return res;
  };

  /** Databases written since the replicator last took this set. */
  readonly changed = new Set<string>();

  private async dispatch(
    req: SwiftRequest,
    path: string,
    account: string,
    container: string,
    object?: string,
  ): Promise<SwiftResponse> {
    if (object !== undefined) return this.objectUpdate(req, path, account, container, object);
    switch (req.method) {
      case 'REPLICATE':
        return this.replicate(req, path, account, container);
      case 'PUT':
        return this.putContainer(req, path, account, container);
      case 'GET':
      case 'HEAD':
        return this.getContainer(req, path);
      case 'POST':
        return this.postContainer(req, path);
      case 'DELETE':
        return this.deleteContainer(req, path);
      default:
        return errorResponse(405);
    }
  }

  /**
   * `REPLICATE`: another replica pushes its status, metadata and rows (JSON); they are merged
   * here, newest wins, and the database is created when this replica has none.
   */
  private async replicate(
    req: SwiftRequest,
    path: string,
    account: string,
    container: string,
  ): Promise<SwiftResponse> {
    let push: ReplicationPush<ObjectRecord>;
    try {
      push = JSON.parse(
        (await readBody(req.body, 64 * 1024 * 1024)).toString('utf8'),
      ) as ReplicationPush<ObjectRecord>;
    } catch {
      return errorResponse(400, 'Invalid replication body');
    }
    const broker = this.pool.get(path, true)!;
    const before = broker.statusDigest();
    broker.initialise(account, container, push.info.put_timestamp);
    if (push.info.delete_timestamp && push.info.delete_timestamp !== '0')
      broker.markDeleted(push.info.delete_timestamp);
    if (broker.updateMetadata(push.info.metadata ?? {}))
      this.markSync(broker, path.slice(this.root.length + 1).split('/')[0]!);
    const merged = broker.merge(push.rows);
    if (merged) this.reportLater(broker);
    if (merged || broker.statusDigest() !== before) this.changed.add(path);
    const answer: ReplicationAnswer = { max_row: broker.maxRow(), id: broker.replicaId() };
    return response(200, JSON.stringify(answer), { 'content-type': 'application/json' });
  }

  private async putContainer(
    req: SwiftRequest,
    path: string,
    account: string,
    container: string,
  ): Promise<SwiftResponse> {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const broker = this.pool.get(path, true)!;
    const existed = broker.initialise(account, container, ts);
    const meta = metadataHeaders(req.headers, 'container');
    broker.setMetadataHeaders(meta, ts);
    this.markSync(broker, p(req));
    await this.report(broker);
    return response(existed ? 202 : 201, undefined, { 'x-backend-timestamp': ts });
  }

  private getContainer(req: SwiftRequest, path: string): SwiftResponse {
    const broker = this.pool.get(path, false);
    if (!broker?.initialised || broker.isDeleted())
      return errorResponse(
        404,
        undefined,
        broker?.initialised ? { 'x-backend-timestamp': broker.info().delete_timestamp ?? '0' } : {},
      );
    const info = broker.info();
    const headers: Record<string, string> = {
      'x-container-object-count': String(broker.objectCount()),
      'x-container-bytes-used': String(broker.bytesUsed()),
      'x-timestamp': info.created_at ?? info.put_timestamp!,
      'x-put-timestamp': info.put_timestamp!,
      'x-backend-timestamp': info.put_timestamp!,
      'x-backend-put-timestamp': info.put_timestamp!,
      'x-backend-status-changed-at': info.status_changed_at ?? info.put_timestamp!,
      ...broker.liveMetadata(),
    };
    if (req.method === 'HEAD') return response(204, undefined, headers);
    const q = listingQuery(req.query, 10_000);
    if (typeof q === 'string') return errorResponse(400, q);
    const rows = broker.list(q, 'created_at, size, content_type, etag');
    const items = rows.map((r) =>
      r.subdir
        ? { subdir: r.name }
        : {
            name: r.name,
            hash: r.etag,
            bytes: r.size,
            content_type: r.content_type,
            last_modified: isoDate(r.created_at as string),
          },
    );
    return response(200, JSON.stringify(items), {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
    });
  }

  private async postContainer(req: SwiftRequest, path: string): Promise<SwiftResponse> {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const broker = this.pool.get(path, false);
    if (!broker?.initialised || broker.isDeleted()) return errorResponse(404);
    const meta = metadataHeaders(req.headers, 'container');
    broker.setMetadataHeaders(meta, ts);
    this.markSync(broker, p(req));
    return response(204);
  }

  private async deleteContainer(req: SwiftRequest, path: string): Promise<SwiftResponse> {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const broker = this.pool.get(path, false);
    if (!broker?.initialised || broker.isDeleted()) return errorResponse(404);
    if (broker.objectCount() > 0) return errorResponse(409);
    broker.markDeleted(ts);
    await this.report(broker);
    return response(204);
  }

  private objectUpdate(
    req: SwiftRequest,
    path: string,
    account: string,
    container: string,
    object: string,
  ): SwiftResponse {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    if (req.method !== 'PUT' && req.method !== 'DELETE') return errorResponse(405);
    const broker = this.pool.get(path, account.startsWith('.'));
    if (broker && !broker.initialised && account.startsWith('.')) broker.initialise(account, container, ts);
    if (!broker?.initialised) return errorResponse(404);
    const changed = broker.merge([
      req.method === 'PUT'
        ? {
            name: object,
            created_at: ts,
            size: Number(req.headers['x-size'] ?? 0),
            content_type: req.headers['x-content-type'] ?? 'application/octet-stream',
            etag: req.headers['x-etag'] ?? '',
            deleted: 0,
          }
        : { name: object, created_at: ts, size: 0, content_type: '', etag: '', deleted: 1 },
    ]);
    if (changed) this.reportLater(broker);
    return response(req.method === 'PUT' ? 201 : 204);
  }

  /**
   * Keeps a marker per container that syncs elsewhere (`<device>/sync_containers/<db hash>`),
   * so the sync daemon visits those alone, however many containers the device holds.
   */
  private markSync(broker: ContainerBroker, device: string): void {
    if (broker.liveMetadata()['x-container-sync-to'])
      setMarker(this.root, device, 'sync_containers', broker.path);
    else clearMarker(this.root, device, 'sync_containers', broker.path);
  }

  /** Object changes are reported to the account shortly after, once per burst. */
  private reportLater(broker: ContainerBroker): void {
    this.dirty.set(broker.path, broker);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const batch = [...this.dirty.values()];
      this.dirty.clear();
      for (const b of batch) this.report(b).catch((err) => this.log.warn({ err }, 'account update failed'));
    }, this.reportDelayMs);
    this.flushTimer.unref();
  }

  /** Reports a container's state to its account; remembers what was reported. */
  async report(broker: ContainerBroker): Promise<boolean> {
    const i = broker.info();
    if (!i.account || !i.container) return false;
    const report: ContainerReport = {
      account: i.account,
      container: i.container,
      put_timestamp: i.put_timestamp ?? '0',
      delete_timestamp: i.delete_timestamp ?? '0',
      object_count: broker.objectCount(),
      bytes_used: broker.bytesUsed(),
    };
    const ok = await this.reportToAccount(report);
    if (ok) {
      broker.setInfo({
        reported: `${report.put_timestamp}/${report.delete_timestamp}/${report.object_count}/${report.bytes_used}`,
      });
      this.failedReports.delete(broker.path);
    } else this.failedReports.add(broker.path);
    return ok;
  }

  /** Containers whose last report did not reach a quorum of account replicas. */
  readonly failedReports = new Set<string>();

  /** The container updater's pass: reports again what the accounts missed. */
  async retryReports(): Promise<{ reported: number; failed: number }> {
    let reported = 0;
    let failed = 0;
    for (const path of [...this.failedReports]) {
      const broker = this.pool.get(path, false);
      if (!broker) {
        this.failedReports.delete(path);
        continue;
      }
      if (!this.unreported(broker) || (await this.report(broker))) reported++;
      else failed++;
    }
    return { reported, failed };
  }

  /** Whether a container's last report is out of date (for the updater). */
  unreported(broker: ContainerBroker): boolean {
    const i = broker.info();
    return (
      i.reported !==
      `${i.put_timestamp ?? '0'}/${i.delete_timestamp ?? '0'}/${broker.objectCount()}/${broker.bytesUsed()}`
    );
  }

  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.dirty.clear();
  }
}

/** The device of a storage request path. */
function p(req: SwiftRequest): string {
  return req.path.split('/')[1] ?? '';
}
