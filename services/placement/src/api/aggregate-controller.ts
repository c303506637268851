import type { PlacementRequest } from './placement-request';
import { aggregatesPut11, aggregatesPut119 } from './placement-schemas';
import { jsonReply } from './replies';

function view(req: PlacementRequest, aggregates: string[], generation: number) {
  return req.atLeast('1.19') ? { aggregates, resource_provider_generation: generation } : { aggregates };
}

/** GET /resource_providers/{uuid}/aggregates (1.1; the generation from 1.19). */
export async function listAggregates(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:aggregates:list');
  const p = await req.services.providers.get(req.params.uuid!);
  return jsonReply(req, view(req, await req.services.links.aggregatesOf(p.id), p.generation));
}

/** PUT /resource_providers/{uuid}/aggregates: a list (1.1) or with the generation (1.19). */
export async function setAggregates(req: PlacementRequest) {
  req.authorize('placement:resource_providers:aggregates:update');
  const uuid = req.params.uuid!;
  await req.services.providers.get(uuid);
  const withGeneration = req.atLeast('1.19');
  const body = await req.json<string[] | { aggregates: string[]; resource_provider_generation: number }>(
    withGeneration ? aggregatesPut119 : aggregatesPut11,
  );
  const aggregates = Array.isArray(body) ? body : body.aggregates;
  const generation = Array.isArray(body) ? undefined : body.resource_provider_generation;
  const p = await req.services.links.setAggregates(uuid, generation, aggregates);
  return jsonReply(req, view(req, aggregates, p.generation));
}
