import type { PlacementSnapshot, SnapshotProvider } from '../../db/candidate-snapshot';
import type { AllocationRequest, RequestGroup } from './candidate-request';

/** What all groups share. */
export interface SearchContext {
  /** Roots allowed by root_required (undefined: any). */
  anchors: Set<number> | undefined;
  /** Providers with MISC_SHARES_VIA_AGGREGATE. */
  sharing: Set<number>;
  sharingTraitId: number | undefined;
}

/** Whether a provider can give `amount` of a class: capacity, min_unit, max_unit and step_size. */
export function hasRoom(p: SnapshotProvider, rcId: number, amount: number): boolean {
  const inv = p.inventory.get(rcId);
  if (!inv) return false;
  return (
    inv.used + amount <= (inv.total - inv.reserved) * inv.ratio &&
    inv.minUnit <= amount &&
    inv.maxUnit >= amount &&
    amount % inv.stepSize === 0
  );
}

/** Providers in at least one aggregate of every set. */
function inAggregates(snapshot: PlacementSnapshot, memberOf: string[][]): Set<number> {
  let out: Set<number> | undefined;
  for (const anyOf of memberOf) {
    const members = new Set<number>();
    for (const agg of anyOf) for (const p of snapshot.aggregateMembers.get(agg) ?? []) members.add(p.id);
    out = out ? new Set([...out].filter((id) => members.has(id))) : members;
  }
  return out ?? new Set();
}

/** Roots of the providers sharing an aggregate with a sharing provider (its anchors). */
function anchorsOf(snapshot: PlacementSnapshot, sharingProvider: SnapshotProvider): Set<number> {
  const roots = new Set<number>();
  for (const agg of sharingProvider.aggregates)
    for (const p of snapshot.aggregateMembers.get(agg) ?? []) roots.add(p.rootId);
  return roots;
}

const hasAll = (p: SnapshotProvider, required: number[][]) =>
  required.every((anyOf) => anyOf.some((t) => p.traitIds.has(t)));
const hasAny = (p: SnapshotProvider, traits: number[]) => traits.some((t) => p.traitIds.has(t));

/**
 * The candidates of one request group, each anchored at a tree's root, produced lazily (a limited
 * single-group search stops early). Nothing produced: no result at all.
 */
export function* groupCandidates(
  snapshot: PlacementSnapshot,
  group: RequestGroup,
  ctx: SearchContext,
): Generator<AllocationRequest> {
  let rpsInAggs: Set<number> | undefined;
  if (group.memberOf.length) {
    rpsInAggs = inAggregates(snapshot, group.memberOf);
    if (!rpsInAggs.size) return;
  }
  let treeRoot: number | undefined;
  if (group.inTree !== undefined) {
    const p = snapshot.byUuid.get(group.inTree);
    if (!p) return;
    treeRoot = p.rootId;
  }
  const withResource = new Map<number, SnapshotProvider[]>();
  for (const [rcId, amount] of group.resources) {
    const list: SnapshotProvider[] = [];
    for (const p of snapshot.providers.values()) {
      if ((treeRoot === undefined || p.rootId === treeRoot) && hasRoom(p, rcId, amount)) list.push(p);
    }
    if (!list.length) return;
    withResource.set(rcId, list);
  }
  if (!group.useSameProvider && (ctx.sharing.size > 0 || snapshot.hasTrees)) {
    yield* multipleProviders(snapshot, group, ctx, withResource, rpsInAggs, treeRoot);
  } else {
    yield* singleProvider(snapshot, group, ctx, withResource, rpsInAggs);
  }
}

function* singleProvider(
  snapshot: PlacementSnapshot,
  group: RequestGroup,
  ctx: SearchContext,
  withResource: Map<number, SnapshotProvider[]>,
  rpsInAggs: Set<number> | undefined,
): Generator<AllocationRequest> {
  let filtered: Set<number> | undefined;
  const forbiddenRps = new Set<number>();
  if (group.required.length) {
    filtered = new Set(
      [...snapshot.providers.values()].filter((p) => hasAll(p, group.required)).map((p) => p.id),
    );
    if (!filtered.size) return;
  }
  if (rpsInAggs) {
    filtered = filtered ? new Set([...filtered].filter((id) => rpsInAggs.has(id))) : new Set(rpsInAggs);
    if (!filtered.size) return;
  }
  const drop = (bad: Set<number>) => {
    for (const id of bad) forbiddenRps.add(id);
    if (filtered) for (const id of bad) filtered.delete(id);
  };
  if (group.forbiddenAggregates.length) {
    drop(inAggregatesAny(snapshot, group.forbiddenAggregates));
    if (filtered && !filtered.size) return;
  }
  if (group.forbidden.length) {
    drop(
      new Set([...snapshot.providers.values()].filter((p) => hasAny(p, group.forbidden)).map((p) => p.id)),
    );
    if (filtered && !filtered.size) return;
  }
  let last: SnapshotProvider[] = [];
  let first = true;
  for (const list of withResource.values()) {
    const ids = new Set(list.map((p) => p.id));
    if (first && !filtered) filtered = new Set([...ids].filter((id) => !forbiddenRps.has(id)));
    else filtered = new Set([...filtered!].filter((id) => ids.has(id)));
    first = false;
    last = list;
    if (!filtered.size) return;
  }
  if (!group.resources.size) {
    last = filtered
      ? [...filtered].map((id) => snapshot.providers.get(id)!)
      : [...snapshot.providers.values()].filter((p) => !forbiddenRps.has(p.id));
  }
  for (const p of last) {
    if (filtered && !filtered.has(p.id)) continue;
    const make = (anchor: number): AllocationRequest => ({
      anchorRootId: anchor,
      useSameProvider: group.useSameProvider,
      resources: [...group.resources].map(([rc, amount]) => ({
        providerId: p.id,
        resourceClassId: rc,
        amount,
      })),
      mappings: new Map([[group.suffix, new Set([p.id])]]),
    });
    if (!ctx.anchors || ctx.anchors.has(p.rootId)) yield make(p.rootId);
    if (ctx.sharing.has(p.id)) {
      for (const anchor of anchorsOf(snapshot, p)) {
        if (anchor === p.rootId || (ctx.anchors && !ctx.anchors.has(anchor))) continue;
        yield make(anchor);
      }
    }
  }
}

function inAggregatesAny(snapshot: PlacementSnapshot, aggs: string[]): Set<number> {
  const out = new Set<number>();
  for (const agg of aggs) for (const p of snapshot.aggregateMembers.get(agg) ?? []) out.add(p.id);
  return out;
}

function* multipleProviders(
  snapshot: PlacementSnapshot,
  group: RequestGroup,
  ctx: SearchContext,
  withResource: Map<number, SnapshotProvider[]>,
  rpsInAggs: Set<number> | undefined,
  treeRoot: number | undefined,
): Generator<AllocationRequest> {
  const requiredTraits = group.required.flat();
  if (requiredTraits.length && ![...snapshot.providers.values()].some((p) => hasAny(p, requiredTraits)))
    return;
  const badAggs = group.forbiddenAggregates.length
    ? inAggregatesAny(snapshot, group.forbiddenAggregates)
    : undefined;
  // A provider may serve a class for a tree (its anchor): its own, or, for a sharing provider,
  // every tree sharing an aggregate with it.
  const allowed = (p: SnapshotProvider, root: number) =>
    (!ctx.anchors || ctx.anchors.has(root)) &&
    (!rpsInAggs || rpsInAggs.has(p.id) || rpsInAggs.has(root)) &&
    (!badAggs || (!badAggs.has(p.id) && !badAggs.has(root)));
  // Per class, per anchor tree, the providers that can serve it (each once, in the order found:
  // the tree's own providers, then sharing ones).
  const byClass = new Map<number, Map<number, SnapshotProvider[]>>();
  for (const [rcId, list] of withResource) {
    const perRoot = new Map<number, SnapshotProvider[]>();
    const add = (p: SnapshotProvider, root: number) => {
      const l = perRoot.get(root);
      if (!l) perRoot.set(root, [p]);
      else if (!l.includes(p)) l.push(p);
    };
    for (const p of list) if (allowed(p, p.rootId)) add(p, p.rootId);
    if (treeRoot === undefined && ctx.sharing.size) {
      for (const p of list) {
        if (!ctx.sharing.has(p.id) || (rpsInAggs && !rpsInAggs.has(p.id))) continue;
        for (const anchor of anchorsOf(snapshot, p)) if (allowed(p, anchor)) add(p, anchor);
      }
    }
    if (!perRoot.size) return;
    byClass.set(rcId, perRoot);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const perClass = classes.map((rc) => byClass.get(rc)!);
  // Trees every class can be served in, in the order the lowest class found them.
  for (const root of perClass[0]!.keys()) {
    const lists: SnapshotProvider[][] = [];
    for (const perRoot of perClass) {
      const l = perRoot.get(root);
      if (!l) break;
      lists.push(l);
    }
    if (lists.length < perClass.length) continue;
    // Most trees offer one provider per class: one combination, without the product's generator.
    const combos = lists.every((l) => l.length === 1) ? [lists.map((l) => l[0]!)] : product(lists);
    for (const combo of combos) {
      if (!traitsSatisfied(combo, group)) continue;
      yield {
        anchorRootId: root,
        useSameProvider: false,
        resources: combo.map((p, i) => ({
          providerId: p.id,
          resourceClassId: classes[i]!,
          amount: group.resources.get(classes[i]!)!,
        })),
        mappings: new Map([[group.suffix, new Set(combo.map((p) => p.id))]]),
      };
    }
  }
}

/** The providers of a candidate, together, have every required trait and none forbidden. */
function traitsSatisfied(providers: SnapshotProvider[], group: RequestGroup): boolean {
  if (group.forbidden.length && providers.some((p) => hasAny(p, group.forbidden))) return false;
  return group.required.every((anyOf) => anyOf.some((t) => providers.some((p) => p.traitIds.has(t))));
}

/** The cartesian product of lists. */
export function* product<T>(lists: T[][]): Generator<T[]> {
  if (!lists.length) {
    yield [];
    return;
  }
  const idx = lists.map(() => 0);
  while (true) {
    yield idx.map((i, k) => lists[k]![i]!);
    let k = lists.length - 1;
    while (k >= 0) {
      idx[k]!++;
      if (idx[k]! < lists[k]!.length) break;
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
  }
}
