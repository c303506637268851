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

/** A (provider, anchor root) pair that can serve one class of the unsuffixed group. */
interface Entry {
  p: SnapshotProvider;
  root: number;
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
  // Per class, the (provider, anchor) pairs; then only trees every class can be served in.
  let byClass = new Map<number, Entry[]>();
  let trees: Set<number> | undefined;
  for (const [rcId, list] of withResource) {
    let entries: Entry[] = list.map((p) => ({ p, root: p.rootId }));
    const sharingWithRoom = list.filter((p) => ctx.sharing.has(p.id) && (!rpsInAggs || rpsInAggs.has(p.id)));
    let anchored = false;
    if (sharingWithRoom.length && treeRoot === undefined) {
      for (const s of sharingWithRoom)
        for (const anchor of anchorsOf(snapshot, s)) entries.push({ p: s, root: anchor });
      anchored = true;
    }
    if (ctx.anchors) entries = entries.filter((e) => ctx.anchors!.has(e.root));
    if (rpsInAggs) entries = entries.filter((e) => rpsInAggs.has(e.p.id) || rpsInAggs.has(e.root));
    if (badAggs) entries = entries.filter((e) => !badAggs.has(e.p.id) && !badAggs.has(e.root));
    if (anchored) entries = dedupe(entries);
    if (!entries.length) return;
    const roots = new Set(entries.map((e) => e.root));
    trees = trees ? new Set([...trees].filter((r) => roots.has(r))) : roots;
    byClass.set(rcId, entries);
    if (!trees.size) return;
  }
  byClass = new Map([...byClass].map(([rc, entries]) => [rc, entries.filter((e) => trees!.has(e.root))]));
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const perTree = new Map<number, Map<number, SnapshotProvider[]>>();
  for (const rc of classes) {
    for (const e of byClass.get(rc)!) {
      let t = perTree.get(e.root);
      if (!t) {
        t = new Map();
        perTree.set(e.root, t);
      }
      const l = t.get(rc);
      if (l) l.push(e.p);
      else t.set(rc, [e.p]);
    }
  }
  for (const [root, options] of perTree) {
    const lists = classes.map((rc) => options.get(rc) ?? []);
    if (lists.some((l) => !l.length)) continue;
    for (const combo of product(lists)) {
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

function dedupe(entries: Entry[]): Entry[] {
  const seen = new Set<number>();
  return entries.filter((e) => {
    const key = e.p.id * 4_194_304 + e.root;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
