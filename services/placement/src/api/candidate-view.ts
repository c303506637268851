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
  const areqs = o.dict
    ? requests.map((areq) => dictText(snapshot, areq, o))
    : requests.map((areq) => {
        const byProvider = new Map<number, Record<string, number>>();
        for (const r of areq.resources) {
          let res = byProvider.get(r.providerId);
          if (!res) {
            res = {};
            byProvider.set(r.providerId, res);
          }
          res[o.className(r.resourceClassId)] = r.amount;
        }
        return JSON.stringify({
          allocations: [...byProvider].map(([id, resources]) => ({
            resource_provider: { uuid: uuid(id) },
            resources,
          })),
        });
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

// Quoted provider uuids and class-name keys of a snapshot, made once: a candidate's text is then
// plain concatenation (a thousand candidates per answer are common).
const quotedUuids = new WeakMap<PlacementSnapshot, Map<number, string>>();
const classKeys = new Map<string, string>();

function quotedUuid(snapshot: PlacementSnapshot, id: number): string {
  let byId = quotedUuids.get(snapshot);
  if (!byId) {
    byId = new Map();
    quotedUuids.set(snapshot, byId);
  }
  let text = byId.get(id);
  if (text === undefined) {
    text = JSON.stringify(snapshot.providers.get(id)!.uuid);
    byId.set(id, text);
  }
  return text;
}

function classKey(name: string): string {
  let text = classKeys.get(name);
  if (text === undefined) {
    text = `${JSON.stringify(name)}:`;
    if (classKeys.size < 10_000) classKeys.set(name, text);
  }
  return text;
}

/**
 * One candidate at 1.12+: `{"allocations": {uuid: {"resources": {class: amount}}}}` (providers
 * and classes in the order the candidate names them; a class named twice for one provider keeps
 * its first place and last amount, as an object would), with `mappings` at 1.34.
 */
function dictText(snapshot: PlacementSnapshot, areq: AllocationRequest, o: CandidateViewOptions): string {
  const providers: number[] = [];
  const parts: string[][] = [];
  const res = areq.resources;
  for (let i = 0; i < res.length; i++) {
    const r = res[i]!;
    let at = providers.indexOf(r.providerId);
    if (at < 0) {
      at = providers.push(r.providerId) - 1;
      parts.push([]);
    }
    const key = classKey(o.className(r.resourceClassId));
    const list = parts[at]!;
    const same = list.findIndex((part) => part.startsWith(key));
    if (same >= 0) list[same] = `${key}${r.amount}`;
    else list.push(`${key}${r.amount}`);
  }
  let text = '{"allocations":{';
  for (let i = 0; i < providers.length; i++) {
    if (i) text += ',';
    text += `${quotedUuid(snapshot, providers[i]!)}:{"resources":{${parts[i]!.join(',')}}}`;
  }
  text += '}';
  if (o.mappings) {
    text += ',"mappings":{';
    let first = true;
    for (const [suffix, ids] of areq.mappings) {
      if (!first) text += ',';
      first = false;
      text += `${suffix === '' ? '""' : JSON.stringify(suffix)}:[`;
      let firstId = true;
      for (const id of ids) {
        if (!firstId) text += ',';
        firstId = false;
        text += quotedUuid(snapshot, id);
      }
      text += ']';
    }
    text += '}';
  }
  return `${text}}`;
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
