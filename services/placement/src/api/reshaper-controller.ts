import type { InventoryFields, InventoryRecord } from '../db/inventory-repository';
import { PlacementBadRequest, PlacementConflict, placementCodes } from '../manager/placement-errors';
import { toConsumer, type ConsumerBody } from './allocation-controller';
import { type InventoryBody, inventoryFields } from './inventory-controller';
import type { PlacementRequest } from './placement-request';
import { reshaper130, reshaper134, reshaper138 } from './placement-schemas';
import { emptyReply } from './replies';

interface ReshapeBody {
  inventories: Record<
    string,
    { resource_provider_generation: number; inventories: Record<string, InventoryBody> }
  >;
  allocations: Record<string, ConsumerBody>;
}

/**
 * POST /reshaper (1.30): replaces inventories of providers and allocations of consumers in one
 * transaction, so allocations can move between providers while their inventory moves.
 */
export async function reshape(req: PlacementRequest) {
  req.authorize('placement:reshaper:reshape');
  const body = await req.json<ReshapeBody>(
    req.atLeast('1.38') ? reshaper138 : req.atLeast('1.34') ? reshaper134 : reshaper130,
  );
  const plans: {
    uuid: string;
    generation: number;
    wanted: Map<string, ReturnType<typeof inventoryFields>>;
  }[] = [];
  for (const [uuid, data] of Object.entries(body.inventories)) {
    const provider = await req.services.providers.find(uuid);
    if (!provider) {
      throw new PlacementBadRequest(
        `Resource provider ${uuid} in inventories not found: No resource provider with uuid ${uuid} found`,
        placementCodes.providerNotFound,
      );
    }
    if (provider.generation !== data.resource_provider_generation) {
      throw new PlacementConflict(
        `resource provider generation conflict for provider ${uuid}: actual: ${provider.generation}, given: ${data.resource_provider_generation}`,
        placementCodes.concurrentUpdate,
      );
    }
    const wanted = new Map(
      Object.entries(data.inventories).map(([rc, b]) => [rc, inventoryFields(req, uuid, rc, b)]),
    );
    plans.push({ uuid, generation: data.resource_provider_generation, wanted });
  }
  const consumers = Object.entries(body.allocations).map(([uuid, c]) => toConsumer(req, uuid, c));
  const { inventories, providers } = req.services;
  // As upstream: an interim inventory (the current one with the new classes laid over it), then
  // the allocations, then the final inventory (whose removals must no longer be in use).
  await req.services.allocations.replace(
    consumers,
    async (trx) => {
      for (const plan of plans) {
        if (!plan.wanted.size) continue;
        const provider = await providers.get(plan.uuid, trx);
        const merged = new Map(
          (await inventories.list(provider.id, trx)).map((i) => [i.resourceClass, fieldsOf(i)]),
        );
        for (const [rc, f] of plan.wanted) merged.set(rc, f);
        await inventories.setAllIn(trx, plan.uuid, undefined, merged, 'update conflict: ');
      }
    },
    async (trx) => {
      for (const plan of plans)
        await inventories.setAllIn(trx, plan.uuid, undefined, plan.wanted, 'update conflict: ');
    },
  );
  return emptyReply(204);
}

function fieldsOf(i: InventoryRecord): InventoryFields {
  return {
    total: i.total,
    reserved: i.reserved,
    min_unit: i.min_unit,
    max_unit: i.max_unit,
    step_size: i.step_size,
    allocation_ratio: i.allocation_ratio,
  };
}
