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
import type { AccountBroker, ContainerRecord } from './account-broker';
import type { ReplicationAnswer, ReplicationPush } from './replication-push';
import type { BrokerPool } from './broker-pool';
import { setMarker } from './db-markers';
import { dbPath, metadataHeaders, splitDbPath } from './db-paths';
import { listingQuery } from './listing-query';

/**
 * The account server: one database per account replica with its container listing (each
 * container's counts as last reported), totals and metadata.
 */
export class AccountServer {
  constructor(
    private readonly root: string,
    private readonly salt: HashPathSalt,
    private readonly pool: BrokerPool<AccountBroker>,
    private readonly log: Logger,
    private readonly mounted: (device: string) => boolean,
  ) {}

  readonly handle = async (req: SwiftRequest): Promise<SwiftResponse> => {
    const p = splitDbPath(req.path);
    if (!p || p.object !== undefined) return errorResponse(400, 'Invalid path');
    if (!this.mounted(p.device)) return errorResponse(507);
    const path = dbPath(this.root, p.device, p.part, 'account', this.salt, p.account);
    const res = await this.dispatch(req, path, p.account, p.container);
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
    container?: string,
  ): Promise<SwiftResponse> {
    if (container !== undefined) return this.containerReport(req, path, account, container);
    switch (req.method) {
      case 'REPLICATE':
        return this.replicate(req, path, account);
      case 'PUT':
        return this.putAccount(req, path, account);
      case 'GET':
      case 'HEAD':
        return this.getAccount(req, path);
      case 'POST':
        return this.postAccount(req, path);
      case 'DELETE':
        return this.deleteAccount(req, path);
      default:
        return errorResponse(405);
    }
  }

  /** `REPLICATE`: another replica's status, metadata and container rows, merged here. */
  private async replicate(req: SwiftRequest, path: string, account: string): Promise<SwiftResponse> {
    let push: ReplicationPush<ContainerRecord>;
    try {
      push = JSON.parse(
        (await readBody(req.body, 64 * 1024 * 1024)).toString('utf8'),
      ) as ReplicationPush<ContainerRecord>;
    } catch {
      return errorResponse(400, 'Invalid replication body');
    }
    const broker = this.pool.get(path, true)!;
    const before = broker.statusDigest();
    broker.initialise(account, push.info.put_timestamp);
    if (push.info.delete_timestamp && push.info.delete_timestamp !== '0')
      broker.markDeleted(push.info.delete_timestamp);
    broker.updateMetadata(push.info.metadata ?? {});
    if (broker.mergeContainers(push.rows) || broker.statusDigest() !== before) this.changed.add(path);
    const answer: ReplicationAnswer = { max_row: broker.maxRow(), id: broker.replicaId() };
    return response(200, JSON.stringify(answer), { 'content-type': 'application/json' });
  }

  private putAccount(req: SwiftRequest, path: string, account: string): SwiftResponse {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const broker = this.pool.get(path, true)!;
    if (broker.initialised && broker.isDeleted() && !req.headers['x-account-override-deleted'])
      return errorResponse(403, 'Recently deleted');
    const existed = broker.initialise(account, ts);
    const meta = metadataHeaders(req.headers, 'account');
    broker.setMetadataHeaders(meta, ts);
    return response(existed ? 202 : 201);
  }

  private getAccount(req: SwiftRequest, path: string): SwiftResponse {
    const broker = this.pool.get(path, false);
    if (!broker?.initialised) return errorResponse(404);
    if (broker.isDeleted()) return errorResponse(404, undefined, { 'x-account-status': 'Deleted' });
    const info = broker.info();
    const totals = broker.totals();
    const headers: Record<string, string> = {
      'x-account-container-count': String(totals.containers),
      'x-account-object-count': String(totals.objects),
      'x-account-bytes-used': String(totals.bytes),
      'x-timestamp': info.created_at ?? info.put_timestamp!,
      'x-put-timestamp': info.put_timestamp!,
      ...broker.liveMetadata(),
    };
    if (req.method === 'HEAD') return response(204, undefined, headers);
    const q = listingQuery(req.query, 10_000);
    if (typeof q === 'string') return errorResponse(400, q);
    const rows = broker.list(q, 'put_timestamp, object_count, bytes_used');
    const items = rows.map((r) =>
      r.subdir
        ? { subdir: r.name }
        : {
            name: r.name,
            count: r.object_count,
            bytes: r.bytes_used,
            last_modified: isoDate(r.put_timestamp as string),
          },
    );
    return response(200, JSON.stringify(items), {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
    });
  }

  private postAccount(req: SwiftRequest, path: string): SwiftResponse {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const broker = this.pool.get(path, false);
    if (!broker?.initialised || broker.isDeleted()) return errorResponse(404);
    const meta = metadataHeaders(req.headers, 'account');
    broker.setMetadataHeaders(meta, ts);
    return response(204);
  }

  private deleteAccount(req: SwiftRequest, path: string): SwiftResponse {
    const ts = parseTimestamp(req.headers['x-timestamp']);
    if (!ts) return errorResponse(400, 'Missing timestamp');
    const broker = this.pool.get(path, false);
    if (!broker?.initialised || broker.isDeleted()) return errorResponse(404);
    broker.markDeleted(ts);
    // The reaper finds deleted accounts by these markers, not by walking every account.
    setMarker(this.root, path.slice(this.root.length + 1).split('/')[0]!, 'reap_accounts', path);
    return response(204);
  }

  /** `PUT /<dev>/<part>/<account>/<container>`: a container's report; the account is created on first report. */
  private containerReport(
    req: SwiftRequest,
    path: string,
    account: string,
    container: string,
  ): SwiftResponse {
    if (req.method !== 'PUT') return errorResponse(405);
    const put = parseTimestamp(req.headers['x-put-timestamp']) ?? '0';
    const del = parseTimestamp(req.headers['x-delete-timestamp']) ?? '0';
    const broker = this.pool.get(path, true)!;
    if (!broker.initialised) broker.initialise(account, put > del ? put : del);
    if (broker.isDeleted()) return errorResponse(404);
    broker.putContainer({
      name: container,
      put_timestamp: put,
      delete_timestamp: del,
      object_count: Number(req.headers['x-object-count'] ?? 0),
      bytes_used: Number(req.headers['x-bytes-used'] ?? 0),
    });
    this.log.trace({ account, container }, 'container report');
    return response(201);
  }
}
