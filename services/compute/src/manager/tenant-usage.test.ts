import { describe, expect, it } from 'vitest';
import type { Instance } from '../db/instance-repository';
import { tenantUsages } from './tenant-usage';

const flavor = {
  flavorid: '1',
  name: 'm1',
  vcpus: 2,
  memory_mb: 512,
  root_gb: 1,
  ephemeral_gb: 1,
  swap: 0,
  extra_specs: {},
};
const server = (over: Partial<Instance>): Instance =>
  ({
    uuid: 'u',
    name: 'vm',
    projectId: 'p',
    flavor,
    vmState: 'active',
    deleted: false,
    launchedAt: null,
    terminatedAt: null,
    ...over,
  }) as Instance;

describe('tenantUsages', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  const stop = new Date('2026-01-02T00:00:00Z');
  const now = new Date('2026-01-03T00:00:00Z');

  it('counts the overlap of each life with the period and weighs the resources by it', () => {
    const [u] = tenantUsages(
      [
        server({ uuid: 'a', launchedAt: '2025-12-31T12:00:00.000000Z' }),
        server({
          uuid: 'b',
          launchedAt: '2026-01-01T06:00:00.000000Z',
          terminatedAt: '2026-01-01T12:00:00.000000Z',
          deleted: true,
        }),
      ],
      start,
      stop,
      now,
    );
    expect(u!.totalHours).toBe(30);
    expect(u!.totalVcpusUsage).toBe(60);
    expect(u!.totalMemoryMbUsage).toBe(30 * 512);
    expect(u!.totalLocalGbUsage).toBe(60);
    expect(u!.servers.map((s) => [s.instanceId, s.hours, s.state])).toEqual([
      ['a', 24, 'active'],
      ['b', 6, 'terminated'],
    ]);
    expect(u!.servers[1]!.uptimeSeconds).toBe(6 * 3600);
  });

  it('leaves out servers outside the period or never launched, and splits by project', () => {
    const out = tenantUsages(
      [
        server({ uuid: 'late', launchedAt: '2026-01-02T01:00:00.000000Z' }),
        server({
          uuid: 'gone',
          launchedAt: '2025-12-01T00:00:00.000000Z',
          terminatedAt: '2025-12-02T00:00:00.000000Z',
        }),
        server({ uuid: 'never' }),
        server({ uuid: 'x', projectId: 'q', launchedAt: '2026-01-01T23:00:00.000000Z' }),
      ],
      start,
      stop,
      now,
    );
    expect(out.map((u) => [u.tenantId, u.servers.map((s) => s.instanceId)])).toEqual([['q', ['x']]]);
  });
});
