import { describe, expect, it } from 'vitest';
import type { PlacementSnapshot, SnapshotProvider } from '../db/candidate-snapshot';
import type { AllocationRequest } from '../manager/candidates/candidate-request';
import { type CandidateViewOptions, renderCandidates } from './candidate-view';

const inv = (total: number, used: number) => ({
  total,
  reserved: 1,
  ratio: 2,
  minUnit: 1,
  maxUnit: total,
  stepSize: 1,
  used,
});
const provider = (id: number, parentId: number | null, rootId: number): SnapshotProvider => ({
  id,
  uuid: `0000000${id}-0000-4000-8000-000000000000`,
  parentId,
  rootId,
  traitIds: new Set(id === 1 ? [5] : []),
  aggregates: new Set(),
  inventory: new Map([
    [0, inv(8, 2)],
    [1, inv(1024, 0)],
  ]),
});
const providers = [provider(1, null, 1), provider(2, 1, 1)];
const snapshot: PlacementSnapshot = {
  providers: new Map(providers.map((p) => [p.id, p])),
  byUuid: new Map(providers.map((p) => [p.uuid, p])),
  trees: new Map([[1, providers]]),
  aggregateMembers: new Map(),
  hasTrees: true,
};
const names = ['VCPU', 'MEMORY_MB'];
const options = (o: Partial<CandidateViewOptions>): CandidateViewOptions => ({
  dict: true,
  mappings: true,
  traits: true,
  allClasses: true,
  tree: true,
  requestedClasses: new Set([0]),
  className: (id) => names[id]!,
  traitName: (id) => (id === 5 ? 'CUSTOM_FAST' : undefined),
  ...o,
});
// Provider 2 gives VCPU twice (the later amount wins, in the first place), provider 1 memory.
const request: AllocationRequest = {
  anchorRootId: 1,
  useSameProvider: false,
  resources: [
    { providerId: 2, resourceClassId: 0, amount: 1 },
    { providerId: 1, resourceClassId: 1, amount: 512 },
    { providerId: 2, resourceClassId: 0, amount: 3 },
  ],
  mappings: new Map([
    ['', new Set([2])],
    ['_NUMA', new Set([1, 2])],
  ]),
};
const [u1, u2] = providers.map((p) => p.uuid);

describe('renderCandidates', () => {
  it('renders the 1.34 body: dict allocations, mappings, full summaries', () => {
    const body = JSON.parse(
      renderCandidates(snapshot, [request, request], providers, options({})).toString(),
    );
    const areq = {
      allocations: { [u2!]: { resources: { VCPU: 3 } }, [u1!]: { resources: { MEMORY_MB: 512 } } },
      mappings: { '': [u2], _NUMA: [u1, u2] },
    };
    expect(body.allocation_requests).toEqual([areq, areq]);
    expect(Object.keys(body.allocation_requests[0].allocations)).toEqual([u2, u1]);
    expect(body.provider_summaries[u1!]).toEqual({
      resources: { VCPU: { capacity: 14, used: 2 }, MEMORY_MB: { capacity: 2046, used: 0 } },
      traits: ['CUSTOM_FAST'],
      parent_provider_uuid: null,
      root_provider_uuid: u1,
    });
    expect(body.provider_summaries[u2!].parent_provider_uuid).toBe(u1);
  });

  it('renders the 1.10 body: allocations as a list, only requested classes, no traits', () => {
    const o = options({ dict: false, mappings: false, traits: false, allClasses: false, tree: false });
    const body = JSON.parse(renderCandidates(snapshot, [request], providers, o).toString());
    expect(body.allocation_requests).toEqual([
      {
        allocations: [
          { resource_provider: { uuid: u2 }, resources: { VCPU: 3 } },
          { resource_provider: { uuid: u1 }, resources: { MEMORY_MB: 512 } },
        ],
      },
    ]);
    expect(body.provider_summaries[u1!]).toEqual({ resources: { VCPU: { capacity: 14, used: 2 } } });
  });

  it('renders a one-provider candidate as the general case would', () => {
    const one: AllocationRequest = {
      anchorRootId: 1,
      useSameProvider: false,
      resources: [
        { providerId: 1, resourceClassId: 1, amount: 512 },
        { providerId: 1, resourceClassId: 0, amount: 2 },
      ],
      mappings: new Map([['', new Set([1])]]),
    };
    const body = renderCandidates(snapshot, [one], [], options({})).toString();
    expect(body).toBe(
      `{"allocation_requests":[{"allocations":{"${u1}":{"resources":{"MEMORY_MB":512,"VCPU":2}}},"mappings":{"":["${u1}"]}}],"provider_summaries":{}}`,
    );
  });

  it('renders an empty answer', () => {
    expect(renderCandidates(snapshot, [], [], options({})).toString()).toBe(
      '{"allocation_requests":[],"provider_summaries":{}}',
    );
  });
});
