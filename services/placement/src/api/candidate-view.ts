import type { PlacementSnapshot, SnapshotProvider } from '../db/candidate-snapshot';
import type { AllocationRequest } from '../manager/candidates/candidate-request';

/** How candidates render at a microversion. */
export interface CandidateViewOptions {
  /** 1.12: allocations as a dict by provider (else a list). */
  dict: boolean;
  /** 1.34: mappings. */
  mappings: boolean;
  /** 1.17: traits in summaries. */
  traits: boolean;
  /** 1.27: every class in summaries (else only the requested ones). */
  allClasses: boolean;
  /** 1.29: parent and root in summaries. */
  tree: boolean;
  requestedClasses: Set<number>;
  className(id: number): string;
  traitName(id: number): string | undefined;
}

// Summaries are the same for every request against one snapshot (at 1.27+): each provider's JSON
// is made once per snapshot and rendering flags.
const fragments = new WeakMap<PlacementSnapshot, Map<string, Map<number, string>>>();

/** The body of GET /allocation_candidates, as JSON text. */
export function renderCandidates(
  snapshot: PlacementSnapshot,
  requests: AllocationRequest[],
  summaries: SnapshotProvider[],
  o: CandidateViewOptions,
): string {
  const uuid = (id: number) => snapshot.providers.get(id)!.uuid;
  const areqs = requests.map((areq) => {
    const byProvider = new Map<number, Record<string, number>>();
    for (const r of areq.resources) {
      let res = byProvider.get(r.providerId);
      if (!res) {
        res = {};
        byProvider.set(r.providerId, res);
      }
      res[o.className(r.resourceClassId)] = r.amount;
    }
    if (!o.dict) {
      return JSON.stringify({
        allocations: [...byProvider].map(([id, resources]) => ({
          resource_provider: { uuid: uuid(id) },
          resources,
        })),
      });
    }
    let text = `{"allocations":{${[...byProvider].map(([id, resources]) => `"${uuid(id)}":{"resources":${JSON.stringify(resources)}}`).join(',')}}`;
    if (o.mappings) {
      text += `,"mappings":{${[...areq.mappings].map(([s, ids]) => `${JSON.stringify(s)}:[${[...ids].map((id) => `"${uuid(id)}"`).join(',')}]`).join(',')}}`;
    }
    return `${text}}`;
  });
  const key = `${o.traits}${o.allClasses}${o.tree}`;
  let byFlags = fragments.get(snapshot);
  if (!byFlags) {
    byFlags = new Map();
    fragments.set(snapshot, byFlags);
  }
  let cache = o.allClasses ? byFlags.get(key) : undefined;
  if (o.allClasses && !cache) {
    cache = new Map();
    byFlags.set(key, cache);
  }
  const sums = summaries.map((p) => {
    let text = cache?.get(p.id);
    if (text === undefined) {
      text = `"${p.uuid}":${JSON.stringify(summaryOf(snapshot, p, o))}`;
      cache?.set(p.id, text);
    }
    return text;
  });
  return `{"allocation_requests":[${areqs.join(',')}],"provider_summaries":{${sums.join(',')}}}`;
}

function summaryOf(
  snapshot: PlacementSnapshot,
  p: SnapshotProvider,
  o: CandidateViewOptions,
): Record<string, unknown> {
  const resources: Record<string, { capacity: number; used: number }> = {};
  for (const [rc, inv] of p.inventory) {
    if (!o.allClasses && !o.requestedClasses.has(rc)) continue;
    resources[o.className(rc)] = {
      capacity: Math.trunc((inv.total - inv.reserved) * inv.ratio),
      used: inv.used,
    };
  }
  const s: Record<string, unknown> = { resources };
  if (o.traits) s.traits = [...p.traitIds].map(o.traitName).filter((n) => n !== undefined);
  if (o.tree) {
    s.parent_provider_uuid = p.parentId === null ? null : snapshot.providers.get(p.parentId)!.uuid;
    s.root_provider_uuid = snapshot.providers.get(p.rootId)!.uuid;
  }
  return s;
}
