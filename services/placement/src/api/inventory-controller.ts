import { INVENTORY_DEFAULTS, type InventoryFields, type InventoryRecord } from '../db/inventory-repository';
import { PlacementBadRequest, PlacementNotFound } from '../manager/placement-errors';
import type { PlacementRequest } from './placement-request';
import { inventoriesPut, inventoryBase, inventoryPost } from './placement-schemas';
import { emptyReply, jsonReply, newest } from './replies';

/** An inventory record as a request gives it. */
export type InventoryBody = Partial<InventoryFields> & {
  total: number;
  resource_provider_generation?: number;
  resource_class?: string;
};

function view(i: InventoryRecord, generation?: number) {
  const out: Record<string, unknown> = {
    allocation_ratio: i.allocation_ratio,
    max_unit: i.max_unit,
    min_unit: i.min_unit,
    reserved: i.reserved,
    step_size: i.step_size,
    total: i.total,
  };
  if (generation) out.resource_provider_generation = generation;
  return out;
}

/** Fills defaults and checks what the schema cannot: capacity (reserved against total) and min_unit ≤ max_unit. */
export function inventoryFields(
  req: PlacementRequest,
  uuid: string,
  resourceClass: string,
  body: InventoryBody,
  verb = 'update',
): InventoryFields {
  const f: InventoryFields = {
    total: body.total,
    reserved: body.reserved ?? INVENTORY_DEFAULTS.reserved,
    min_unit: body.min_unit ?? INVENTORY_DEFAULTS.min_unit,
    max_unit: body.max_unit ?? INVENTORY_DEFAULTS.max_unit,
    step_size: body.step_size ?? INVENTORY_DEFAULTS.step_size,
    allocation_ratio: body.allocation_ratio ?? INVENTORY_DEFAULTS.allocation_ratio,
  };
  const capacity = (f.total - f.reserved) * f.allocation_ratio;
  const where = `Invalid inventory for '${resourceClass}' on resource provider '${uuid}'.`;
  if (req.atLeast('1.26') ? capacity < 0 : capacity <= 0) {
    throw new PlacementBadRequest(
      `Unable to ${verb} inventory for resource provider ${uuid}: ${where} The reserved value is greater than ${req.atLeast('1.26') ? '' : 'or equal to '}total.`,
    );
  }
  if (f.min_unit > f.max_unit) {
    throw new PlacementBadRequest(
      `Unable to ${verb} inventory for resource provider ${uuid}: ${where} The min_unit value is greater than max_unit.`,
    );
  }
  return f;
}

/** GET /resource_providers/{uuid}/inventories. */
export async function listInventories(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:inventories:list');
  const p = await req.services.providers.get(req.params.uuid!);
  const list = await req.services.inventories.list(p.id);
  return jsonReply(
    req,
    {
      resource_provider_generation: p.generation,
      inventories: Object.fromEntries(list.map((i) => [i.resourceClass, view(i)])),
    },
    { lastModified: newest(list.map((i) => i.updatedAt)) },
  );
}

/** GET /resource_providers/{uuid}/inventories/{resource_class}. */
export async function showInventory(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:inventories:show');
  const uuid = req.params.uuid!;
  const rc = req.params.resource_class!;
  const p = await req.services.providers.get(uuid);
  const inv = (await req.services.inventories.list(p.id)).find((i) => i.resourceClass === rc);
  if (!inv) throw new PlacementNotFound(`No inventory of class ${rc} for ${uuid}`);
  return jsonReply(req, view(inv, p.generation), { lastModified: inv.updatedAt });
}

/** POST /resource_providers/{uuid}/inventories: one class, 201. */
export async function createInventory(req: PlacementRequest) {
  req.authorize('placement:resource_providers:inventories:create');
  const uuid = req.params.uuid!;
  await req.services.providers.get(uuid);
  const body = await req.json<InventoryBody>(inventoryPost);
  const rc = body.resource_class!;
  const { provider, inventory } = await req.services.inventories.add(
    uuid,
    rc,
    inventoryFields(req, uuid, rc, body, 'create'),
  );
  return jsonReply(req, view(inventory, provider.generation), {
    status: 201,
    lastModified: inventory.updatedAt,
    headers: { location: `${req.api.baseUrl}/resource_providers/${uuid}/inventories/${rc}` },
  });
}

/** PUT /resource_providers/{uuid}/inventories: all classes at once. */
export async function setInventories(req: PlacementRequest) {
  req.authorize('placement:resource_providers:inventories:update');
  const uuid = req.params.uuid!;
  await req.services.providers.get(uuid);
  const body = await req.json<{
    resource_provider_generation: number;
    inventories: Record<string, InventoryBody>;
  }>(inventoriesPut);
  const wanted = new Map(
    Object.entries(body.inventories).map(([rc, b]) => [rc, inventoryFields(req, uuid, rc, b)]),
  );
  const { provider, inventories } = await req.services.inventories.setAll(
    uuid,
    body.resource_provider_generation,
    wanted,
  );
  return jsonReply(
    req,
    {
      resource_provider_generation: provider.generation,
      inventories: Object.fromEntries(inventories.map((i) => [i.resourceClass, view(i)])),
    },
    { lastModified: newest(inventories.map((i) => i.updatedAt)) },
  );
}

/** PUT /resource_providers/{uuid}/inventories/{resource_class}. */
export async function updateInventory(req: PlacementRequest) {
  req.authorize('placement:resource_providers:inventories:update');
  const uuid = req.params.uuid!;
  const rc = req.params.resource_class!;
  await req.services.providers.get(uuid);
  const body = await req.json<InventoryBody>(inventoryBase);
  const { provider, inventory } = await req.services.inventories.update(
    uuid,
    body.resource_provider_generation!,
    rc,
    inventoryFields(req, uuid, rc, body),
  );
  return jsonReply(req, view(inventory, provider.generation), { lastModified: inventory.updatedAt });
}

/** DELETE /resource_providers/{uuid}/inventories/{resource_class}. */
export async function deleteInventory(req: PlacementRequest) {
  req.authorize('placement:resource_providers:inventories:delete');
  await req.services.providers.get(req.params.uuid!);
  await req.services.inventories.delete(req.params.uuid!, req.params.resource_class!);
  return emptyReply(204);
}

/** DELETE /resource_providers/{uuid}/inventories (1.5): every class. */
export async function deleteInventories(req: PlacementRequest) {
  req.authorize('placement:resource_providers:inventories:delete');
  const uuid = req.params.uuid!;
  await req.services.providers.get(uuid);
  await req.services.inventories.setAll(uuid, undefined, new Map());
  return emptyReply(204);
}
