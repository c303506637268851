import { describe, expect, it } from 'vitest';
import { type HostState, hostFilters, hostWeighers, type RequestSpec } from './host-filters';

const host = (name: string): HostState => ({
  host: name,
  node: name,
  rpcServer: 'agent',
  providerUuid: name,
  availabilityZone: 'nova',
  serviceUp: true,
  serviceDisabled: false,
  freeRamMb: 1024,
  freeVcpus: 4,
  freeDiskGb: 10,
  allocations: {},
});
const spec = (group?: RequestSpec['group']): RequestSpec => ({
  resources: {},
  ignoreHosts: [],
  sameHost: [],
  differentHost: [],
  ...(group ? { group } : {}),
});

describe('server group filters and weighers', () => {
  const anti = hostFilters.ServerGroupAntiAffinityFilter!;
  const affinity = hostFilters.ServerGroupAffinityFilter!;

  it('anti-affinity rejects a host with a member, up to max_server_per_host', () => {
    const s = spec({ policy: 'anti-affinity', hosts: ['a'] });
    expect(anti.check(host('a'), s)).toMatchObject({
      pass: false,
      reason: expect.stringContaining('1 member'),
    });
    expect(anti.check(host('b'), s).pass).toBe(true);
    const two = spec({ policy: 'anti-affinity', hosts: ['a'], maxPerHost: 2 });
    expect(anti.check(host('a'), two).pass).toBe(true);
    expect(
      anti.check(host('a'), spec({ policy: 'anti-affinity', hosts: ['a', 'a'], maxPerHost: 2 })).pass,
    ).toBe(false);
    expect(anti.check(host('a'), spec({ policy: 'affinity', hosts: ['a'] })).pass).toBe(true);
  });

  it("affinity keeps to the members' host once there is one", () => {
    expect(affinity.check(host('b'), spec({ policy: 'affinity', hosts: [] })).pass).toBe(true);
    expect(affinity.check(host('b'), spec({ policy: 'affinity', hosts: ['a'] })).pass).toBe(false);
    expect(affinity.check(host('a'), spec({ policy: 'affinity', hosts: ['a'] })).pass).toBe(true);
    expect(affinity.check(host('b'), spec()).pass).toBe(true);
  });

  it('soft policies weigh hosts by their members', () => {
    const soft = hostWeighers.ServerGroupSoftAffinityWeigher!;
    const softAnti = hostWeighers.ServerGroupSoftAntiAffinityWeigher!;
    const s = spec({ policy: 'soft-affinity', hosts: ['a', 'a'] });
    expect(soft.weigh(host('a'), s)).toBeGreaterThan(soft.weigh(host('b'), s));
    const t = spec({ policy: 'soft-anti-affinity', hosts: ['a'] });
    expect(softAnti.weigh(host('a'), t)).toBeLessThan(softAnti.weigh(host('b'), t));
    expect(soft.weigh(host('a'), t)).toBe(0);
  });
});
