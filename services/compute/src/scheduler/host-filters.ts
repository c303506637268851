/** A host as the filters and weighers see it: its node, service state and free resources. */
export interface HostState {
  host: string;
  node: string;
  rpcServer: string;
  providerUuid: string;
  availabilityZone: string;
  serviceUp: boolean;
  serviceDisabled: boolean;
  freeRamMb: number;
  freeVcpus: number;
  freeDiskGb: number;
  /** The allocation request placement offered for this host. */
  allocations: Record<string, { resources: Record<string, number> }>;
}

/** What is being scheduled. */
export interface RequestSpec {
  resources: Record<string, number>;
  availabilityZone?: string;
  forceHost?: string;
  forceNode?: string;
  ignoreHosts: readonly string[];
  sameHost: readonly string[];
  differentHost: readonly string[];
  /** The server group the server joins (its policy, its other members' hosts, its rules). */
  group?: { policy: string; hosts: readonly string[]; maxPerHost?: number };
}

/** How many of the group's other members run on `host`. */
function groupMembersOn(spec: RequestSpec, host: string): number {
  return spec.group ? spec.group.hosts.filter((h) => h === host).length : 0;
}

/** A filter's answer: pass, or the reason it rejects the host. */
export type FilterResult = { pass: true } | { pass: false; reason: string };

/** A host filter (Nova's BaseHostFilter): a name and a check that says why. */
export interface HostFilter {
  name: string;
  check(host: HostState, spec: RequestSpec): FilterResult;
}

const pass = (): FilterResult => ({ pass: true });
const reject = (reason: string): FilterResult => ({ pass: false, reason });

/** The filters by name, as `[scheduler] enabled_filters` lists them. */
export const hostFilters: Record<string, HostFilter> = {
  ComputeFilter: {
    name: 'ComputeFilter',
    check: (h) =>
      h.serviceDisabled
        ? reject('compute service is disabled')
        : h.serviceUp
          ? pass()
          : reject('compute service is down'),
  },
  AvailabilityZoneFilter: {
    name: 'AvailabilityZoneFilter',
    check: (h, s) =>
      !s.availabilityZone || s.availabilityZone === h.availabilityZone
        ? pass()
        : reject(`host is in availability zone ${h.availabilityZone}, not ${s.availabilityZone}`),
  },
  ComputeCapabilitiesFilter: { name: 'ComputeCapabilitiesFilter', check: () => pass() },
  ImagePropertiesFilter: { name: 'ImagePropertiesFilter', check: () => pass() },
  ServerGroupAntiAffinityFilter: {
    name: 'ServerGroupAntiAffinityFilter',
    check: (h, s) => {
      if (s.group?.policy !== 'anti-affinity') return pass();
      const max = s.group.maxPerHost ?? 1;
      const on = groupMembersOn(s, h.host);
      return on < max
        ? pass()
        : reject(`host runs ${on} member(s) of the anti-affinity group (at most ${max} allowed)`);
    },
  },
  ServerGroupAffinityFilter: {
    name: 'ServerGroupAffinityFilter',
    check: (h, s) =>
      s.group?.policy !== 'affinity' || s.group.hosts.length === 0 || s.group.hosts.includes(h.host)
        ? pass()
        : reject('host runs no member of the affinity group'),
  },
  SameHostFilter: {
    name: 'SameHostFilter',
    check: (h, s) =>
      s.sameHost.length === 0 || s.sameHost.includes(h.host)
        ? pass()
        : reject('host runs none of the same_host servers'),
  },
  DifferentHostFilter: {
    name: 'DifferentHostFilter',
    check: (h, s) =>
      s.differentHost.includes(h.host) ? reject('host runs a different_host server') : pass(),
  },
};

/** A weigher (Nova's BaseHostWeigher): higher is better, normalised by the scheduler. */
export interface HostWeigher {
  name: string;
  weigh(host: HostState, spec: RequestSpec): number;
}

/** The weighers by name, as `[scheduler] weight_classes` lists them (spreading by default). */
export const hostWeighers: Record<string, HostWeigher> = {
  RAMWeigher: { name: 'RAMWeigher', weigh: (h) => h.freeRamMb },
  CPUWeigher: { name: 'CPUWeigher', weigh: (h) => h.freeVcpus },
  DiskWeigher: { name: 'DiskWeigher', weigh: (h) => h.freeDiskGb },
  ServerGroupSoftAffinityWeigher: {
    name: 'ServerGroupSoftAffinityWeigher',
    weigh: (h, s) => (s.group?.policy === 'soft-affinity' ? groupMembersOn(s, h.host) : 0),
  },
  ServerGroupSoftAntiAffinityWeigher: {
    name: 'ServerGroupSoftAntiAffinityWeigher',
    weigh: (h, s) => (s.group?.policy === 'soft-anti-affinity' ? -groupMembersOn(s, h.host) : 0),
  },
};
