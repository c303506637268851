import type { PlacementSnapshot } from '../../db/candidate-snapshot';
import type { AllocationRequest, RequestedResource, RequestWide } from './candidate-request';
import { product } from './group-candidates';

/**
 * Combines each group's candidates that share an anchor tree: one from every group, kept when
 * group_policy=isolate has each suffixed group on its own provider, when same_subtree holds, and
 * when the summed amounts fit each provider's capacity and max_unit. Duplicates are dropped.
 */
export function mergeCandidates(
  snapshot: PlacementSnapshot,
  perGroup: Map<string, AllocationRequest[]>,
  wide: RequestWide,
  granularGroups: number,
  sharing: Set<number>,
): AllocationRequest[] {
  if (perGroup.size === 1)
    return mergeOneGroup(snapshot, perGroup.values().next().value!, wide, Number.POSITIVE_INFINITY, sharing);
  const suffixes = [...perGroup.keys()];
  const byAnchor = new Map<number, Map<string, AllocationRequest[]>>();
  for (const [suffix, list] of perGroup) {
    for (const areq of list) {
      let m = byAnchor.get(areq.anchorRootId);
      if (!m) {
        m = new Map();
        byAnchor.set(areq.anchorRootId, m);
      }
      const l = m.get(suffix);
      if (l) l.push(areq);
      else m.set(suffix, [areq]);
    }
  }
  const out: AllocationRequest[] = [];
  const seen = new Set<string>();
  for (const [anchor, bySuffix] of byAnchor) {
    if (bySuffix.size !== suffixes.length) continue;
    for (const combo of product(suffixes.map((s) => bySuffix.get(s)!))) {
      if (wide.groupPolicy === 'isolate' && !isolated(combo, granularGroups)) continue;
      if (!sameSubtrees(snapshot, combo, wide.sameSubtrees)) continue;
      const merged = consolidate(anchor, combo);
      if (exceedsCapacity(snapshot, merged.resources)) continue;
      const key = keyOf(merged);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(merged);
    }
  }
  return out;
}

/**
 * The one-group case: no combining, only the capacity check and duplicates (a sharing provider
 * anchored in several trees) dropped; stops after `stopAfter` candidates.
 */
export function mergeOneGroup(
  snapshot: PlacementSnapshot,
  candidates: Iterable<AllocationRequest>,
  wide: RequestWide,
  stopAfter: number,
  sharing: Set<number>,
): AllocationRequest[] {
  const out: AllocationRequest[] = [];
  const seen = new Set<string>();
  for (const areq of candidates) {
    if (!sameSubtrees(snapshot, [areq], wide.sameSubtrees)) continue;
    if (exceedsCapacity(snapshot, areq.resources)) continue;
    // Only a sharing provider anchored in several trees repeats a candidate.
    if (sharing.size && areq.resources.some((r) => sharing.has(r.providerId))) {
      const key = keyOf(areq);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(areq);
    if (out.length >= stopAfter) break;
  }
  return out;
}

function isolated(combo: AllocationRequest[], granularGroups: number): boolean {
  const providers = new Set<number>();
  for (const areq of combo)
    if (areq.useSameProvider) providers.add([...areq.mappings.values()][0]!.values().next().value!);
  return providers.size === granularGroups;
}

function sameSubtrees(
  snapshot: PlacementSnapshot,
  combo: AllocationRequest[],
  subtrees: string[][],
): boolean {
  for (const suffixes of subtrees) {
    const ids = new Set<number>();
    for (const areq of combo)
      for (const s of suffixes) for (const id of areq.mappings.get(s) ?? []) ids.add(id);
    if (ids.size <= 1) continue;
    const ancestorSets = [...ids].map((id) => ancestors(snapshot, id));
    // Some provider of the group is an ancestor (or self) of all of them.
    if (![...ids].some((id) => ancestorSets.every((a) => a.has(id)))) return false;
  }
  return true;
}

function ancestors(snapshot: PlacementSnapshot, id: number): Set<number> {
  const out = new Set<number>();
  let p = snapshot.providers.get(id);
  while (p) {
    out.add(p.id);
    p = p.parentId === null ? undefined : snapshot.providers.get(p.parentId);
  }
  return out;
}

function consolidate(anchor: number, combo: AllocationRequest[]): AllocationRequest {
  if (combo.length === 1) return combo[0]!;
  const resources = new Map<string, RequestedResource>();
  const mappings = new Map<string, Set<number>>();
  for (const areq of combo) {
    for (const r of areq.resources) {
      const key = `${r.providerId}:${r.resourceClassId}`;
      const existing = resources.get(key);
      if (existing) existing.amount += r.amount;
      else resources.set(key, { ...r });
    }
    for (const [suffix, ids] of areq.mappings) {
      const m = mappings.get(suffix);
      if (m) for (const id of ids) m.add(id);
      else mappings.set(suffix, new Set(ids));
    }
  }
  return { anchorRootId: anchor, useSameProvider: false, resources: [...resources.values()], mappings };
}

function exceedsCapacity(snapshot: PlacementSnapshot, resources: RequestedResource[]): boolean {
  for (const r of resources) {
    const inv = snapshot.providers.get(r.providerId)?.inventory.get(r.resourceClassId);
    if (!inv) return true;
    const capacity = Math.trunc((inv.total - inv.reserved) * inv.ratio);
    if (inv.used + r.amount > capacity || r.amount > inv.maxUnit) return true;
  }
  return false;
}

function keyOf(areq: AllocationRequest): string {
  const res = areq.resources
    .map((r) => `${r.providerId}:${r.resourceClassId}:${r.amount}`)
    .sort()
    .join(',');
  const maps = [...areq.mappings]
    .map(([s, ids]) => `${s}=${[...ids].sort((a, b) => a - b).join('.')}`)
    .sort()
    .join(';');
  return `${res}|${maps}`;
}
