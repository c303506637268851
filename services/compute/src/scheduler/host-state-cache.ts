import type { ComputeNode, ComputeServiceRecord, HostRepository } from '../db/host-repository';

/** What the scheduler knows of the hosts: nodes by resource provider uuid, nova-compute services by host. */
export interface HostView {
  byProvider: Map<string, ComputeNode>;
  services: Map<string, ComputeServiceRecord>;
}

/**
 * The scheduler's copy of the compute nodes and services (a thousand rows each on a large cloud,
 * read for every server it places otherwise). It is read again when the tables' stamp moves (a
 * host added or removed, an operator's disable or force-down) and at least every `maxAgeMs`, so
 * that liveness kept by heartbeats alone is never older than that; `service_down_time` is far
 * longer. Concurrent callers share one read.
 */
export class HostStateCache {
  private cached: { stamp: string; at: number; view: HostView } | undefined;
  private loading: Promise<{ stamp: string; at: number; view: HostView }> | undefined;

  constructor(
    private readonly hosts: HostRepository,
    private readonly maxAgeMs = 2_000,
  ) {}

  async current(): Promise<HostView> {
    const stamp = await this.hosts.hostStamp();
    const c = this.cached;
    if (c && c.stamp === stamp && Date.now() - c.at < this.maxAgeMs) return c.view;
    this.loading ??= this.load(stamp).finally(() => {
      this.loading = undefined;
    });
    const loaded = await this.loading;
    this.cached = loaded;
    return loaded.view;
  }

  private async load(stamp: string): Promise<{ stamp: string; at: number; view: HostView }> {
    const at = Date.now();
    const [nodes, services] = await Promise.all([this.hosts.nodes(), this.hosts.services()]);
    return {
      stamp,
      at,
      view: {
        byProvider: new Map(nodes.map((n) => [n.uuid, n])),
        services: new Map(services.filter((s) => s.binary === 'nova-compute').map((s) => [s.host, s])),
      },
    };
  }
}
