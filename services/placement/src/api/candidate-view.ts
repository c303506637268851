import { JsonBytes, jsonBytesOf } from '@nimbus/http';
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

const text = (s: string) => Buffer.from(s);
const OPEN = text('{"allocation_requests":[');
const MIDDLE = text('],"provider_summaries":{');
const CLOSE = text('}}');
const DICT_OPEN = text('{"allocations":{');
const DICT_RESOURCES = text(':{"resources":{');
const LIST_OPEN = text('{"allocations":[');
const LIST_PROVIDER = text('{"resource_provider":{"uuid":');
const LIST_RESOURCES = text('},"resources":{');
const MAPPINGS = text(',"mappings":{');
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** Bytes made once per snapshot: a candidate is then mostly copies (a thousand per answer are common). */
interface SnapshotBytes {
  /** Quoted provider uuids. */
  uuids: Map<number, Buffer>;
  /** `"uuid":{summary}` per provider, per rendering flags (at 1.27+, where every request shares them). */
  summaries: Map<string, Map<number, Buffer>>;
}

const perSnapshot = new WeakMap<PlacementSnapshot, SnapshotBytes>();
// `"CLASS":` per class name, and quoted group suffixes.
const classKeys = new Map<string, Buffer>();
const suffixes = new Map<string, Buffer>();

/** The body of GET /allocation_candidates. */
export function renderCandidates(
  snapshot: PlacementSnapshot,
  requests: AllocationRequest[],
  summaries: SnapshotProvider[],
  o: CandidateViewOptions,
): Buffer {
  let sb = perSnapshot.get(snapshot);
  if (!sb) {
    sb = { uuids: new Map(), summaries: new Map() };
    perSnapshot.set(snapshot, sb);
  }
  const out = new JsonBytes(requests.length * 200 + summaries.length * 320 + 64);
  out.bytes(OPEN);
  for (let i = 0; i < requests.length; i++) {
    if (i) out.char(COMMA);
    writeRequest(out, snapshot, sb, requests[i]!, o);
  }
  out.bytes(MIDDLE);
  const flags = `${o.traits}${o.allClasses}${o.tree}`;
  let cache = o.allClasses ? sb.summaries.get(flags) : undefined;
  if (o.allClasses && !cache) {
    cache = new Map();
    sb.summaries.set(flags, cache);
  }
  for (let i = 0; i < summaries.length; i++) {
    const p = summaries[i]!;
    if (i) out.char(COMMA);
    let bytes = cache?.get(p.id);
    if (!bytes) {
      bytes = text(`${JSON.stringify(p.uuid)}:${JSON.stringify(summaryOf(snapshot, p, o))}`);
      cache?.set(p.id, bytes);
    }
    out.bytes(bytes);
  }
  out.bytes(CLOSE);
  return out.done();
}

/**
 * One candidate. At 1.12+ `{"allocations": {uuid: {"resources": {class: amount}}}}` with
 * `mappings` at 1.34; before, a list of `{"resource_provider": {"uuid"}, "resources"}`. Providers
 * and classes come in the order the candidate names them; a class named twice for one provider
 * keeps its first place and last amount, as an object would.
 */
function writeRequest(
  out: JsonBytes,
  snapshot: PlacementSnapshot,
  sb: SnapshotBytes,
  areq: AllocationRequest,
  o: CandidateViewOptions,
): void {
  const res = areq.resources;
  if (o.dict && onOneProvider(res)) {
    // The common candidate: every class from one provider, each named once.
    out
      .bytes(DICT_OPEN)
      .bytes(quotedUuid(snapshot, sb, res[0]!.providerId))
      .bytes(DICT_RESOURCES);
    for (let j = 0; j < res.length; j++) {
      if (j) out.char(COMMA);
      out.bytes(classKey(o.className(res[j]!.resourceClassId))).number(res[j]!.amount);
    }
    out.char(CLOSE_OBJECT).char(CLOSE_OBJECT).char(CLOSE_OBJECT);
  } else {
    writeAllocations(out, snapshot, sb, areq, o);
  }
  if (o.dict && o.mappings) {
    out.bytes(MAPPINGS);
    let first = true;
    for (const [suffix, ids] of areq.mappings) {
      if (!first) out.char(COMMA);
      first = false;
      out.bytes(quotedSuffix(suffix)).char(COLON).char(OPEN_LIST);
      let firstId = true;
      for (const id of ids) {
        if (!firstId) out.char(COMMA);
        firstId = false;
        out.bytes(quotedUuid(snapshot, sb, id));
      }
      out.char(CLOSE_LIST);
    }
    out.char(CLOSE_OBJECT);
  }
  out.char(CLOSE_OBJECT);
}

/** Whether a candidate takes every class from one provider, naming each class once. */
function onOneProvider(res: AllocationRequest['resources']): boolean {
  const first = res[0];
  if (!first) return false;
  for (let i = 1; i < res.length; i++) {
    const r = res[i]!;
    if (r.providerId !== first.providerId) return false;
    for (let k = 0; k < i; k++) if (res[k]!.resourceClassId === r.resourceClassId) return false;
  }
  return true;
}

/** The allocations of any candidate, grouped by provider. */
function writeAllocations(
  out: JsonBytes,
  snapshot: PlacementSnapshot,
  sb: SnapshotBytes,
  areq: AllocationRequest,
  o: CandidateViewOptions,
): void {
  const providers: number[] = [];
  const amounts: Array<Array<[string, number]>> = [];
  for (const r of areq.resources) {
    let at = providers.indexOf(r.providerId);
    if (at < 0) {
      at = providers.push(r.providerId) - 1;
      amounts.push([]);
    }
    const name = o.className(r.resourceClassId);
    const list = amounts[at]!;
    const same = list.findIndex(([n]) => n === name);
    if (same >= 0) list[same]![1] = r.amount;
    else list.push([name, r.amount]);
  }
  out.bytes(o.dict ? DICT_OPEN : LIST_OPEN);
  for (let i = 0; i < providers.length; i++) {
    if (i) out.char(COMMA);
    const uuid = quotedUuid(snapshot, sb, providers[i]!);
    if (o.dict) out.bytes(uuid).bytes(DICT_RESOURCES);
    else out.bytes(LIST_PROVIDER).bytes(uuid).bytes(LIST_RESOURCES);
    const list = amounts[i]!;
    for (let j = 0; j < list.length; j++) {
      if (j) out.char(COMMA);
      out.bytes(classKey(list[j]![0])).number(list[j]![1]);
    }
    out.char(CLOSE_OBJECT).char(CLOSE_OBJECT);
  }
  out.char(o.dict ? CLOSE_OBJECT : CLOSE_LIST);
}

function quotedUuid(snapshot: PlacementSnapshot, sb: SnapshotBytes, id: number): Buffer {
  let bytes = sb.uuids.get(id);
  if (!bytes) {
    bytes = jsonBytesOf(snapshot.providers.get(id)!.uuid);
    sb.uuids.set(id, bytes);
  }
  return bytes;
}

function classKey(name: string): Buffer {
  let bytes = classKeys.get(name);
  if (!bytes) {
    bytes = text(`${JSON.stringify(name)}:`);
    if (classKeys.size < 10_000) classKeys.set(name, bytes);
  }
  return bytes;
}

function quotedSuffix(suffix: string): Buffer {
  let bytes = suffixes.get(suffix);
  if (!bytes) {
    bytes = jsonBytesOf(suffix);
    if (suffixes.size < 10_000) suffixes.set(suffix, bytes);
  }
  return bytes;
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
