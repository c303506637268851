import http from 'node:http';
import { METHOD_HEADER } from '../api/swift-edge';
import type { Handler, RequestEnv, SwiftRequest, SwiftResponse } from '../common/swift-http';

/** Where a storage request goes: a server and one of its devices. */
export interface NodeAddress {
  ip: string;
  port: number;
  device: string;
}

/**
 * Talks to storage servers: `/<device>/<partition><path>` on the node's server. Never throws: a
 * node that cannot be reached answers 503, which callers count as a failed node.
 */
export interface NodeClient {
  request(
    node: NodeAddress,
    part: number | string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: AsyncIterable<Buffer>,
    env?: RequestEnv,
  ): Promise<SwiftResponse>;
}

/** Encodes a decoded path for the wire, segment by segment. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/**
 * Routes each request to a server in this process when one serves the node's address, and over
 * HTTP otherwise; the same storage servers then work all-in-one and spread over hosts.
 */
export class StorageNodeClient implements NodeClient {
  private readonly local = new Map<string, Handler>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly timeoutMs = 10_000) {}

  /** Serves requests for `ip:port` in this process. */
  register(ip: string, port: number, handler: Handler): void {
    this.local.set(`${ip}:${port}`, handler);
  }

  /** `env` reaches in-process servers only (a body's MD5 already computed by the proxy). */
  async request(
    node: NodeAddress,
    part: number | string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: AsyncIterable<Buffer>,
    env: RequestEnv = {},
  ): Promise<SwiftResponse> {
    const q = path.indexOf('?');
    const full = `/${node.device}/${part}${q < 0 ? path : path.slice(0, q)}`;
    const query = q < 0 ? '' : path.slice(q);
    const local = this.local.get(`${node.ip}:${node.port}`);
    if (local) {
      const req: SwiftRequest = { method, path: full, query: new URLSearchParams(query), headers, body, env };
      try {
        return await local(req);
      } catch (err) {
        return { status: 503, headers: { 'x-node-error': String((err as Error).message ?? err) } };
      }
    }
    return this.remote(node, full, query, method, headers, body);
  }

  close(): void {
    this.agent.destroy();
  }

  private remote(
    node: NodeAddress,
    path: string,
    query: string,
    method: string,
    headers: Record<string, string>,
    body?: AsyncIterable<Buffer>,
  ): Promise<SwiftResponse> {
    // Node's HTTP parser knows only the standard methods: REPLICATE travels as a POST.
    const standard = http.METHODS.includes(method);
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: node.ip,
          port: node.port,
          method: standard ? method : 'POST',
          path: encodePath(path) + query,
          headers: standard ? headers : { ...headers, [METHOD_HEADER]: method },
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        (res) => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 503, headers: out, body: res });
        },
      );
      req.on('timeout', () => req.destroy(new Error('node timeout')));
      req.on('error', (err) => resolve({ status: 503, headers: { 'x-node-error': err.message } }));
      (async () => {
        if (body)
          for await (const chunk of body)
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        req.end();
      })().catch((err) => req.destroy(err));
    });
  }
}
