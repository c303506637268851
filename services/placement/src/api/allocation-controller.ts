import {
  AllocationTargetMissing,
  type AllocationRow,
  type ConsumerAllocations,
} from '../db/allocation-repository';
import { PlacementBadRequest, PlacementNotFound } from '../manager/placement-errors';
import { canonicalUuid, isUuidLike } from './json-validation';
import type { PlacementRequest } from './placement-request';
import {
  allocationPut10,
  allocationPut18,
  allocationPut112,
  allocationPut128,
  allocationPut134,
  allocationPut138,
  allocationsPost113,
  allocationsPost128,
  allocationsPost134,
  allocationsPost138,
} from './placement-schemas';
import { emptyReply, jsonReply, newest } from './replies';

type Resources = Record<string, number>;
/** One consumer's part of an allocation write, in any microversion's shape. */
export interface ConsumerBody {
  allocations:
    | Record<string, { resources: Resources }>
    | { resource_provider: { uuid: string }; resources: Resources }[];
  project_id?: string;
  user_id?: string;
  consumer_generation?: number | null;
  consumer_type?: string;
}

function putSchema(req: PlacementRequest) {
  if (req.atLeast('1.38')) return allocationPut138;
  if (req.atLeast('1.34')) return allocationPut134;
  if (req.atLeast('1.28')) return allocationPut128;
  if (req.atLeast('1.12')) return allocationPut112;
  if (req.atLeast('1.8')) return allocationPut18;
  return allocationPut10;
}

/** One consumer's allocations as the repository takes them, from any microversion's body. */
export function toConsumer(
  req: PlacementRequest,
  consumerUuid: string,
  body: ConsumerBody,
): ConsumerAllocations {
  const allocations = new Map<string, Map<string, number>>();
  const add = (rp: string, resources: Resources) => allocations.set(rp, new Map(Object.entries(resources)));
  if (Array.isArray(body.allocations))
    for (const a of body.allocations) add(a.resource_provider.uuid, a.resources);
  else for (const [rp, a] of Object.entries(body.allocations)) add(rp, a.resources);
  const incomplete = req.services.incompleteConsumer;
  return {
    consumerUuid,
    allocations,
    projectId: body.project_id ?? incomplete.projectId,
    userId: body.project_id === undefined ? incomplete.userId : (body.user_id ?? incomplete.userId),
    consumerGeneration: body.consumer_generation,
    checkGeneration: req.atLeast('1.28'),
    ...(req.atLeast('1.38') ? { consumerType: body.consumer_type } : {}),
  };
}

/** PUT /allocations/{consumer_uuid}: replaces the consumer's allocations atomically. */
export async function putAllocations(req: PlacementRequest) {
  req.authorize('placement:allocations:update');
  const raw = req.params.consumer_uuid!;
  if (!isUuidLike(raw)) throw new PlacementBadRequest(`Malformed consumer_uuid: ${raw}`);
  const consumerUuid = canonicalUuid(raw);
  const body = await req.json<ConsumerBody>(putSchema(req));
  try {
    await req.services.allocations.replace([toConsumer(req, consumerUuid, body)]);
  } catch (err) {
    if (err instanceof AllocationTargetMissing && err.message.startsWith('No such resource class')) {
      throw new PlacementBadRequest(
        `Unable to allocate inventory for consumer ${consumerUuid}: ${err.message}`,
      );
    }
    throw err;
  }
  return emptyReply(204);
}

/** POST /allocations (1.13): several consumers at once (moves). */
export async function postAllocations(req: PlacementRequest) {
  req.authorize('placement:allocations:manage');
  const schema = req.atLeast('1.38')
    ? allocationsPost138
    : req.atLeast('1.34')
      ? allocationsPost134
      : req.atLeast('1.28')
        ? allocationsPost128
        : allocationsPost113;
  const body = await req.json<Record<string, ConsumerBody>>(schema);
  try {
    await req.services.allocations.replace(Object.entries(body).map(([uuid, c]) => toConsumer(req, uuid, c)));
  } catch (err) {
    if (err instanceof AllocationTargetMissing && err.message.startsWith('No such resource class')) {
      throw new PlacementBadRequest(`Unable to allocate inventory ${err.message}`);
    }
    throw err;
  }
  return emptyReply(204);
}

/** GET /allocations/{consumer_uuid}. */
export async function showAllocations(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:allocations:list');
  const { consumer, rows } = await req.services.allocations.byConsumer(req.params.consumer_uuid!);
  const allocations: Record<string, { resources: Resources; generation: number }> = {};
  for (const r of rows) {
    allocations[r.providerUuid] ??= { resources: {}, generation: r.providerGeneration };
    const entry = allocations[r.providerUuid]!;
    entry.resources[r.resourceClass] = r.used;
  }
  const body: Record<string, unknown> = { allocations };
  if (rows.length && consumer && req.atLeast('1.12')) {
    body.project_id = consumer.projectId;
    body.user_id = consumer.userId;
    if (req.atLeast('1.28')) body.consumer_generation = consumer.generation;
    if (req.atLeast('1.38')) body.consumer_type = consumer.consumerType ?? 'unknown';
  }
  return jsonReply(req, body, { lastModified: lastModified(rows) });
}

/** GET /resource_providers/{uuid}/allocations. */
export async function providerAllocations(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:allocations:list');
  const uuid = req.params.uuid!;
  const p = await req.services.providers.find(uuid);
  if (!p)
    throw new PlacementNotFound(
      `Resource provider '${uuid}' not found: No resource provider with uuid ${uuid} found`,
    );
  const { rows, consumers } = await req.services.allocations.byProvider(p.id);
  const allocations: Record<string, { resources: Resources; consumer_generation?: number | null }> = {};
  for (const r of rows) {
    allocations[r.consumerUuid] ??= { resources: {} };
    const entry = allocations[r.consumerUuid]!;
    entry.resources[r.resourceClass] = r.used;
    if (req.atLeast('1.28')) entry.consumer_generation = consumers.get(r.consumerUuid)?.generation ?? null;
  }
  return jsonReply(
    req,
    { allocations, resource_provider_generation: p.generation },
    { lastModified: lastModified(rows) },
  );
}

/** DELETE /allocations/{consumer_uuid}. */
export async function deleteAllocations(req: PlacementRequest) {
  req.authorize('placement:allocations:delete');
  const consumerUuid = req.params.consumer_uuid!;
  if (!(await req.services.allocations.deleteConsumer(consumerUuid))) {
    throw new PlacementNotFound(`No allocations for consumer '${consumerUuid}'`);
  }
  return emptyReply(204);
}

function lastModified(rows: AllocationRow[]): string | undefined {
  return newest(rows.map((r) => r.updatedAt));
}
