import { PassThrough } from 'node:stream';
import type { HashThreads } from '@nimbus/service';
import { md5Threads } from '../common/md5-threads';
import { discardBody, errorResponse, readBody, type SwiftResponse } from '../common/swift-http';
import { newTimestamp } from '../common/timestamp';
import type { Ring, RingNode } from '../ring/ring';
import type { NodeClient } from '../storage/node-client';
import { bestStatus } from './quorum';

/** The three rings the proxy routes with. */
export interface Rings {
  account: Ring;
  container: Ring;
  object: Ring;
}

type Kind = keyof Rings;

/** What a write to every replica came back with. */
export interface WriteOutcome {
  status: number;
  responses: SwiftResponse[];
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const isReadAnswer = (s: number) => (s >= 200 && s < 300) || s === 304 || s === 412 || s === 416;

/**
 * The proxy's view of the storage nodes: reads that try primaries then handoffs, writes sent to
 * every replica and judged by quorum, and the streaming of one upload to all object replicas.
 */
export class Backend {
  constructor(
    readonly rings: Rings,
    readonly nodes: NodeClient,
    private readonly md5: HashThreads = md5Threads,
  ) {}

  path(account: string, container?: string, object?: string): string {
    let p = `/${account}`;
    if (container !== undefined) p += `/${container}`;
    if (object !== undefined) p += `/${object}`;
    return p;
  }

  /**
   * Reads from one replica: primaries in random order, then handoffs, until one answers. 404
   * only when the primaries said so; with `X-Newest`, every primary is asked and the newest wins.
   */
  async read(
    kind: Kind,
    method: 'GET' | 'HEAD',
    headers: Record<string, string>,
    account: string,
    container?: string,
    object?: string,
    query = '',
  ): Promise<SwiftResponse> {
    const ring = this.rings[kind];
    const { part, nodes } = ring.nodes(account, container, object);
    const path = this.path(account, container, object) + query;
    if (headers['x-newest']?.toLowerCase() === 'true') {
      const all = await Promise.all(nodes.map((n) => this.nodes.request(n, part, method, path, headers)));
      const good = all.filter((r) => isReadAnswer(r.status));
      if (good.length) {
        good.sort((a, b) =>
          (b.headers['x-backend-timestamp'] ?? b.headers['x-timestamp'] ?? '').localeCompare(
            a.headers['x-backend-timestamp'] ?? a.headers['x-timestamp'] ?? '',
          ),
        );
        for (const r of all) if (r !== good[0]) discardBody(r.body);
        return good[0]!;
      }
      for (const r of all) discardBody(r.body);
      return all.some((r) => r.status === 404) ? errorResponse(404) : errorResponse(503);
    }
    let notFound = 0;
    let notFoundResponse: SwiftResponse | undefined;
    const order = nodes.length > 1 ? shuffle([...nodes]) : nodes;
    // Handoffs are only worked out (once) when a primary could not answer.
    let handoffs: RingNode[] | undefined;
    for (let i = 0; i < order.length * 2; i++) {
      if (i === order.length) handoffs = ring.handoffs(part);
      const node = i < order.length ? order[i] : handoffs![i - order.length];
      if (!node) break;
      const res = await this.nodes.request(node, part, method, path, headers);
      if (isReadAnswer(res.status) || (res.status >= 400 && res.status < 500 && res.status !== 404))
        return res;
      discardBody(res.body);
      if (res.status === 404) {
        notFound++;
        notFoundResponse ??= res;
        if (!node.handoff && notFound >= nodes.length) return res;
      }
    }
    return notFound > 0 ? notFoundResponse! : errorResponse(503);
  }

  /**
   * Sends a bodiless write (container PUT, POST, DELETE...) to every primary, replacing failed
   * ones by handoffs, and answers the quorum's status.
   */
  async writeAll(
    kind: Kind,
    method: string,
    headers: (node: RingNode, index: number) => Record<string, string>,
    account: string,
    container?: string,
    object?: string,
  ): Promise<WriteOutcome> {
    const ring = this.rings[kind];
    const { part, nodes } = ring.nodes(account, container, object);
    const path = this.path(account, container, object);
    const handoffs = ring.handoffs(part);
    const responses = await Promise.all(
      nodes.map(async (node, i) => {
        let res = await this.nodes.request(node, part, method, path, headers(node, i));
        while (res.status >= 500 && handoffs.length) {
          discardBody(res.body);
          const h = handoffs.shift()!;
          res = await this.nodes.request(h, part, method, path, headers(h, i));
        }
        await readBody(res.body).catch(() => undefined);
        return res;
      }),
    );
    return {
      status: bestStatus(
        responses.map((r) => r.status),
        nodes.length,
      ),
      responses,
    };
  }

  /**
   * Streams one upload to every object replica at once (a failed primary replaced by a handoff
   * before any byte is sent), with backpressure from the slowest replica. Answers each replica's
   * response; the caller judges quorum. `onChunk` sees every chunk first and may abort by throwing.
   * `expectedBytes` (the Content-Length, when given) lets a small body be hashed without the MD5
   * thread.
   */
  async putObject(
    account: string,
    container: string,
    object: string,
    headers: (node: RingNode, index: number) => Record<string, string>,
    body: AsyncIterable<Buffer> | undefined,
    onChunk?: (chunk: Buffer) => void,
    expectedBytes?: number,
  ): Promise<{ responses: SwiftResponse[]; replicas: number; error?: unknown }> {
    const ring = this.rings.object;
    const { part, nodes } = ring.nodes(account, container, object);
    const path = this.path(account, container, object);
    const handoffs = ring.handoffs(part);
    // In-process replicas receive the very buffers hashed here, so they reuse this one MD5,
    // computed on the MD5 thread while the data goes on to them.
    let settle!: (digest: Promise<string | undefined> | undefined) => void;
    const bodyMd5 = {
      promise: new Promise<string | undefined>((r) => {
        settle = r;
      }),
    };
    type Stream = { pipe: PassThrough; res: Promise<SwiftResponse>; done: boolean; result?: SwiftResponse };
    const open = (node: RingNode, i: number): Stream => {
      const pipe = new PassThrough({ highWaterMark: 256 * 1024 });
      const s: Stream = { pipe, done: false, res: Promise.resolve() as unknown as Promise<SwiftResponse> };
      s.res = this.nodes
        .request(node, part, 'PUT', path, headers(node, i), pipe, { bodyMd5: bodyMd5.promise })
        .then((r) => {
          s.done = true;
          s.result = r;
          return r;
        });
      return s;
    };
    const streams = nodes.map((n, i) => open(n, i));
    // A node that answers before any data was sent refused the write (unmounted device, 507):
    // its place goes to a handoff.
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < streams.length; i++) {
      let s = streams[i]!;
      while (s.done && s.result!.status >= 500 && handoffs.length) {
        s = open(handoffs.shift()!, i);
        streams[i] = s;
        await new Promise((r) => setImmediate(r));
      }
    }
    let error: unknown;
    const md5 = this.md5.open(['md5'], expectedBytes);
    try {
      if (body) {
        for await (const chunk of body) {
          onChunk?.(chunk);
          const hashing = md5.update(chunk);
          const waits: Promise<unknown>[] = hashing ? [hashing] : [];
          for (const s of streams) {
            if (s.done) continue;
            if (!s.pipe.write(chunk))
              waits.push(Promise.race([new Promise((r) => s.pipe.once('drain', r)), s.res]));
          }
          if (waits.length) await Promise.all(waits);
        }
      }
      settle(
        md5.digest().then(
          ([etag]) => etag,
          () => undefined,
        ),
      );
      for (const s of streams) s.pipe.end();
    } catch (err) {
      md5.abort();
      settle(undefined);
      error = err;
      for (const s of streams) s.pipe.destroy(err instanceof Error ? err : new Error(String(err)));
    }
    const responses = await Promise.all(streams.map((s) => s.res));
    return { responses, replicas: nodes.length, error };
  }

  /** Container servers each object replica should update, spread one per object node. */
  containerUpdateHeaders(account: string, container: string): (index: number) => Record<string, string> {
    const { part, nodes } = this.rings.container.nodes(account, container);
    return (index): Record<string, string> => {
      if (!nodes.length) return {};
      const n = nodes[index % nodes.length]!;
      return {
        'x-container-host': `${n.ip}:${n.port}`,
        'x-container-device': n.device,
        'x-container-partition': String(part),
      };
    };
  }

  /** Sends an update straight to a container's listing (the expirer's queue, bulk operations). */
  async containerUpdate(
    account: string,
    container: string,
    object: string,
    method: 'PUT' | 'DELETE',
    headers: Record<string, string>,
  ): Promise<number> {
    const { part, nodes } = this.rings.container.nodes(account, container);
    const results = await Promise.all(
      nodes.map((n) =>
        this.nodes.request(n, part, method, this.path(account, container, object), {
          'x-timestamp': newTimestamp(),
          ...headers,
        }),
      ),
    );
    return bestStatus(
      results.map((r) => r.status),
      nodes.length,
    );
  }
}
