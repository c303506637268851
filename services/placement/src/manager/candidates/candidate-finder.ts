import type { CandidateSnapshots, PlacementSnapshot, SnapshotProvider } from '../../db/candidate-snapshot';
import type { AllocationRequest, RequestGroup, RequestWide } from './candidate-request';
import { groupCandidates } from './group-candidates';
import { mergeCandidates, mergeOneGroup } from './merge-candidates';

/** What a search found: candidates and the providers to summarise. */
export interface CandidateResult {
  requests: AllocationRequest[];
  summaries: SnapshotProvider[];
  snapshot: PlacementSnapshot;
}

/**
 * Allocation candidates as Placement 8.0 computes them: each request group's candidates (one
 * provider for suffixed groups; a tree plus sharing providers for the unsuffixed one), merged per
 * anchor tree under group_policy and same_subtree, checked against capacity, then limited.
 */
export class CandidateFinder {
  constructor(private readonly snapshots: CandidateSnapshots) {}

  async find(
    groups: RequestGroup[],
    wide: RequestWide,
    sharingTraitId: number | undefined,
  ): Promise<CandidateResult> {
    const snapshot = await this.snapshots.current();
    const none = { requests: [], summaries: [], snapshot };
    const anchors = rootAnchors(snapshot, wide);
    if (anchors && anchors.size === 0) return none;
    const sharing = sharingProviders(snapshot, sharingTraitId);
    const ctx = { anchors, sharing, sharingTraitId };
    let requests: AllocationRequest[];
    if (groups.length === 1 && !wide.randomize && (wide.nestedAware || !snapshot.hasTrees)) {
      // One group, first N wanted: candidates are made only until N distinct ones fit.
      requests = mergeOneGroup(
        snapshot,
        groupCandidates(snapshot, groups[0]!, ctx),
        wide,
        wide.limit ?? Number.POSITIVE_INFINITY,
        sharing,
      );
    } else {
      const perGroup = new Map<string, AllocationRequest[]>();
      for (const group of groups) {
        const found = [...groupCandidates(snapshot, group, ctx)];
        if (!found.length) return none;
        perGroup.set(group.suffix, found);
      }
      requests = mergeCandidates(
        snapshot,
        perGroup,
        wide,
        groups.filter((g) => g.useSameProvider).length,
        sharing,
      );
    }
    if (!wide.nestedAware && snapshot.hasTrees) {
      requests = requests.filter((r) => {
        const roots = new Map<number, number>();
        for (const res of r.resources)
          roots.set(res.providerId, snapshot.providers.get(res.providerId)!.rootId);
        return roots.size === new Set(roots.values()).size;
      });
    }
    if (wide.limit !== undefined && wide.limit < requests.length) {
      requests = wide.randomize ? sample(requests, wide.limit) : requests.slice(0, wide.limit);
    } else if (wide.randomize) {
      requests = sample(requests, requests.length);
    }
    let summaries: SnapshotProvider[];
    if (!wide.nestedAware && snapshot.hasTrees) {
      const used = new Set(requests.flatMap((r) => r.resources.map((x) => x.providerId)));
      summaries = [...used].map((id) => snapshot.providers.get(id)!);
    } else {
      // Every provider of each tree a candidate takes from.
      const roots = new Set<number>();
      for (const r of requests)
        for (const x of r.resources) roots.add(snapshot.providers.get(x.providerId)!.rootId);
      summaries = [];
      for (const root of roots) for (const p of snapshot.trees.get(root) ?? []) summaries.push(p);
    }
    return { requests, summaries, snapshot };
  }
}

// The providers with MISC_SHARES_VIA_AGGREGATE, per snapshot (snapshots never change).
const sharingOf = new WeakMap<PlacementSnapshot, { traitId: number | undefined; ids: Set<number> }>();

function sharingProviders(snapshot: PlacementSnapshot, traitId: number | undefined): Set<number> {
  const known = sharingOf.get(snapshot);
  if (known && known.traitId === traitId) return known.ids;
  const ids = new Set<number>();
  if (traitId !== undefined)
    for (const p of snapshot.providers.values()) if (p.traitIds.has(traitId)) ids.add(p.id);
  sharingOf.set(snapshot, { traitId, ids });
  return ids;
}

/** Roots allowed by root_required, or undefined when it is absent. */
function rootAnchors(snapshot: PlacementSnapshot, wide: RequestWide): Set<number> | undefined {
  if (!wide.rootRequired?.length && !wide.rootForbidden?.length) return undefined;
  const out = new Set<number>();
  for (const p of snapshot.providers.values()) {
    if (p.parentId !== null) continue;
    if (
      (wide.rootRequired ?? []).every((t) => p.traitIds.has(t)) &&
      !(wide.rootForbidden ?? []).some((t) => p.traitIds.has(t))
    )
      out.add(p.id);
  }
  return out;
}

function sample<T>(items: T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
