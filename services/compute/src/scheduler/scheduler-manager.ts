import type { RpcArgs, RpcResult } from '@nimbus/bus';
import { type PlacementClient, RemoteServiceError } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import type { HostRepository } from '../db/host-repository';
import { NoValidHost } from '../manager/compute-errors';
import type { schedulerRpc } from '../rpc/scheduler-rpc';
import {
  type HostFilter,
  type HostState,
  type HostWeigher,
  hostFilters,
  hostWeighers,
  type RequestSpec,
} from './host-filters';
import { HostStateCache } from './host-state-cache';

type Select = (typeof schedulerRpc)['methods']['select_destinations'];

/**
 * The filter scheduler: allocation candidates from placement, the enabled filters (each says why
 * it rejects a host), the weighers, then a claim in placement on the best host (the next best
 * when the claim loses a race).
 */
export class SchedulerManager {
  private readonly filters: HostFilter[];
  private readonly weighers: HostWeigher[];
  private readonly hostStates: HostStateCache;

  constructor(
    private readonly deps: {
      hosts: HostRepository;
      zones: () => Promise<Map<string, string>>;
      placement: () => PlacementClient;
      logger: Logger;
      enabledFilters: readonly string[];
      weightClasses: readonly string[];
      maxPlacementResults: number;
      serviceDownSeconds: number;
      defaultZone: string;
      hostSubsetSize: number;
    },
  ) {
    this.filters = deps.enabledFilters
      .map((n) => hostFilters[n])
      .filter((f): f is HostFilter => f !== undefined);
    this.hostStates = new HostStateCache(deps.hosts);
    this.weighers = deps.weightClasses
      .map((n) => hostWeighers[n])
      .filter((w): w is HostWeigher => w !== undefined);
  }

  async selectDestinations(args: RpcArgs<Select>): Promise<RpcResult<Select>> {
    const placement = this.deps.placement();
    const candidates = await placement.allocationCandidates({
      resources: args.resources,
      limit: this.deps.maxPlacementResults,
    });
    const { byProvider, services } = await this.hostStates.current();
    const zones = await this.deps.zones();
    const now = Date.now();
    const spec: RequestSpec = {
      resources: args.resources,
      availabilityZone: args.availability_zone,
      forceHost: args.force_host,
      forceNode: args.force_node,
      ignoreHosts: args.ignore_hosts,
      sameHost: args.same_host,
      differentHost: args.different_host,
      ...(args.group_policy
        ? {
            group: {
              policy: args.group_policy,
              hosts: args.group_hosts ?? [],
              ...(args.group_max_per_host !== undefined ? { maxPerHost: args.group_max_per_host } : {}),
            },
          }
        : {}),
    };
    const hosts: HostState[] = [];
    for (const req of candidates.allocation_requests) {
      const rp = Object.keys(req.allocations)[0];
      const node = rp ? byProvider.get(rp) : undefined;
      if (!rp || !node) continue;
      const svc = services.get(node.host);
      const summary = candidates.provider_summaries[rp]?.resources ?? {};
      const free = (rc: string) => (summary[rc] ? summary[rc]!.capacity - summary[rc]!.used : 0);
      hosts.push({
        host: node.host,
        node: node.hypervisorHostname,
        rpcServer: node.rpcServer,
        providerUuid: rp,
        availabilityZone: zones.get(node.host) ?? this.deps.defaultZone,
        serviceUp:
          !!svc &&
          !svc.forcedDown &&
          !!svc.lastSeenUp &&
          now - Date.parse(svc.lastSeenUp) <= this.deps.serviceDownSeconds * 1000,
        serviceDisabled: !svc || svc.disabled,
        freeRamMb: free('MEMORY_MB'),
        freeVcpus: free('VCPU'),
        freeDiskGb: free('DISK_GB'),
        allocations: req.allocations,
      });
    }
    let passing = hosts.filter((h) => !spec.ignoreHosts.includes(h.host));
    if (spec.forceHost || spec.forceNode) {
      // A forced host skips the filters, as upstream.
      passing = passing.filter(
        (h) =>
          (!spec.forceHost || h.host === spec.forceHost) && (!spec.forceNode || h.node === spec.forceNode),
      );
    } else {
      for (const f of this.filters) {
        const before = passing.length;
        passing = passing.filter((h) => {
          const r = f.check(h, spec);
          if (!r.pass)
            this.deps.logger.debug(
              { host: h.host, filter: f.name, reason: r.reason },
              'scheduler: host rejected',
            );
          return r.pass;
        });
        if (passing.length === 0 && before > 0) {
          this.deps.logger.info(
            { filter: f.name, instance: args.instance_uuid },
            `scheduler: filter ${f.name} returned 0 hosts`,
          );
          break;
        }
      }
    }
    const ranked = this.weigh(passing, spec);
    for (const h of ranked) {
      try {
        await placement.putAllocations(args.instance_uuid, {
          allocations: h.allocations,
          project_id: args.project_id,
          user_id: args.user_id,
          consumer_generation: null,
        });
      } catch (err) {
        if (err instanceof RemoteServiceError && err.httpStatus === 409) continue;
        throw err;
      }
      return { host: h.host, node: h.node, rpc_server: h.rpcServer, provider_uuid: h.providerUuid };
    }
    throw new NoValidHost('There are not enough hosts available.');
  }

  private weigh(hosts: HostState[], spec: RequestSpec): HostState[] {
    if (hosts.length <= 1 || this.weighers.length === 0) return hosts;
    const scores = new Map<HostState, number>(hosts.map((h) => [h, 0]));
    for (const w of this.weighers) {
      const values = hosts.map((h) => w.weigh(h, spec));
      const min = Math.min(...values);
      const max = Math.max(...values);
      hosts.forEach((h, i) => {
        scores.set(h, scores.get(h)! + (max === min ? 0 : (values[i]! - min) / (max - min)));
      });
    }
    const sorted = [...hosts].sort((a, b) => scores.get(b)! - scores.get(a)!);
    const n = Math.min(this.deps.hostSubsetSize, sorted.length);
    if (n > 1) {
      const pick = Math.floor(Math.random() * n);
      [sorted[0], sorted[pick]] = [sorted[pick]!, sorted[0]!];
    }
    return sorted;
  }
}
