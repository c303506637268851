import { describe, expect, it } from 'vitest';
import type { VolumeRecord, VolumeTypeRecord } from '../db/records';
import {
  affinityFilter,
  availabilityZoneFilter,
  type CandidatePool,
  capabilitiesFilter,
  capacityFilter,
  matches,
  type PlacementRequest,
} from './pool-filters';
import { capacityWeigher, rankPools, volumeNumberWeigher } from './pool-weighers';

const pool = (over: Partial<CandidatePool> = {}): CandidatePool => ({
  name: 'node1@file#file',
  zone: 'nova',
  totalCapacityGb: 100,
  freeCapacityGb: 50,
  allocatedCapacityGb: 0,
  provisionedCapacityGb: 0,
  reservedPercentage: 0,
  maxOverSubscriptionRatio: 1,
  thinProvisioningSupport: false,
  multiattach: false,
  capabilities: { volume_backend_name: 'file', storage_protocol: 'file' },
  volumeCount: 0,
  ...over,
});

const request = (
  size: number,
  specs: Record<string, string> = {},
  hints: Record<string, unknown> = {},
): PlacementRequest => ({
  volume: { size, availability_zone: 'nova' } as VolumeRecord,
  type: { extra_specs: specs } as VolumeTypeRecord,
  hints,
  hostsOf: (ids) => new Set(ids.includes('v-on-node1') ? ['node1@file'] : []),
});

describe('scheduler filters', () => {
  it('checks the zone', () => {
    expect(availabilityZoneFilter.check(pool(), request(1)).ok).toBe(true);
    expect(availabilityZoneFilter.check(pool({ zone: 'other' }), request(1))).toMatchObject({ ok: false });
  });

  it('counts reserved percentage, and over-subscription on thin pools', () => {
    expect(capacityFilter.check(pool(), request(50)).ok).toBe(true);
    expect(capacityFilter.check(pool({ reservedPercentage: 10 }), request(50)).ok).toBe(false);
    const thin = pool({ thinProvisioningSupport: true, maxOverSubscriptionRatio: 20, freeCapacityGb: 10 });
    expect(capacityFilter.check(thin, request(150)).ok).toBe(true);
    expect(capacityFilter.check(thin, request(150, { provisioning_type: 'thick' })).ok).toBe(false);
    const full = pool({
      thinProvisioningSupport: true,
      maxOverSubscriptionRatio: 2,
      provisionedCapacityGb: 190,
    });
    expect(capacityFilter.check(full, request(20))).toMatchObject({ ok: false });
  });

  it('matches extra specs with the oslo operators', () => {
    expect(capabilitiesFilter.check(pool(), request(1, { volume_backend_name: 'file' })).ok).toBe(true);
    expect(capabilitiesFilter.check(pool(), request(1, { volume_backend_name: 'lvm' })).ok).toBe(false);
    expect(capabilitiesFilter.check(pool(), request(1, { multiattach: '<is> True' })).ok).toBe(false);
    expect(
      capabilitiesFilter.check(pool({ multiattach: true }), request(1, { multiattach: '<is> True' })).ok,
    ).toBe(true);
    expect(capabilitiesFilter.check(pool(), request(1, { 'qos:iops': '100' })).ok).toBe(true);
    expect(matches(10, '>= 5')).toBe(true);
    expect(matches('file', '<in> fi')).toBe(true);
    expect(matches('b', '<or> a <or> b')).toBe(true);
  });

  it('follows same_host and different_host hints', () => {
    expect(affinityFilter.check(pool(), request(1, {}, { same_host: ['v-on-node1'] })).ok).toBe(true);
    expect(affinityFilter.check(pool(), request(1, {}, { different_host: 'v-on-node1' })).ok).toBe(false);
  });
});

describe('scheduler weighers', () => {
  it('spreads by free capacity, and by volume count with a negative multiplier', () => {
    const a = pool({ name: 'a@x#x', freeCapacityGb: 10, volumeCount: 1 });
    const b = pool({ name: 'b@x#x', freeCapacityGb: 90, volumeCount: 5 });
    expect(rankPools([a, b], [{ weigher: capacityWeigher, multiplier: 1 }])[0]).toBe(b);
    expect(rankPools([a, b], [{ weigher: volumeNumberWeigher, multiplier: -1 }])[0]).toBe(a);
  });
});
