import { PlacementConflict } from '../manager/placement-errors';
import type { ResourceClasses } from '../manager/resource-classes';
import type { Tx } from './write-transaction';

/** An allocation failed a capacity or constraint check (409 at the API). */
export class InvalidAllocation extends PlacementConflict {
  constructor(message: string) {
    super(message);
  }
}

/** What a write asks of one provider for one class. */
export interface WantedAmount {
  providerId: number;
  providerUuid: string;
  rcId: number;
  rc: string;
  used: number;
}

/** An inventory row as the capacity check reads it. */
export interface CapacityInventory {
  resource_provider_id: number;
  resource_class_id: number;
  total: number;
  reserved: number;
  allocation_ratio: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
}

/** What a provider's class holds already. */
export interface CapacityUsage {
  resource_provider_id: number;
  resource_class_id: number;
  used: number;
}

/**
 * Checks what a write asks of each provider against what is left once the consumers' current
 * allocations are gone (the caller deleted them in this transaction): an inventory for each class,
 * min_unit / max_unit / step_size per allocation, and capacity `(total - reserved) * ratio` for
 * each allocation and for the sum over the request. Throws InvalidAllocation (409).
 */
export async function checkCapacity(
  classes: ResourceClasses,
  trx: Tx,
  wanted: WantedAmount[],
): Promise<void> {
  if (!wanted.length) return;
  const providerIds = [...new Set(wanted.map((w) => w.providerId))];
  const rcIds = [...new Set(wanted.map((w) => w.rcId))];
  const inventories = await trx
    .selectFrom('inventories')
    .selectAll()
    .where('resource_provider_id', 'in', providerIds)
    .where('resource_class_id', 'in', rcIds)
    .execute();
  const usage = await trx
    .selectFrom('allocations')
    .select(['resource_provider_id', 'resource_class_id', (eb) => eb.fn.sum<number>('used').as('used')])
    .where('resource_provider_id', 'in', providerIds)
    .where('resource_class_id', 'in', rcIds)
    .groupBy(['resource_provider_id', 'resource_class_id'])
    .execute();
  assertCapacity(classes, wanted, inventories, usage);
}

/**
 * The check of `checkCapacity` over rows already read: the inventories and usage sums of every
 * provider and class in `wanted` (pairs without either are absent). Throws InvalidAllocation (409).
 */
export function assertCapacity(
  classes: ResourceClasses,
  wanted: WantedAmount[],
  inventories: CapacityInventory[],
  usage: CapacityUsage[],
): void {
  if (!wanted.length) return;
  const providerIds = [...new Set(wanted.map((w) => w.providerId))];
  const rcIds = [...new Set(wanted.map((w) => w.rcId))];
  const key = (p: number, r: number) => `${p}:${r}`;
  const inv = new Map(inventories.map((i) => [key(i.resource_provider_id, i.resource_class_id), i]));
  const used = new Map(usage.map((u) => [key(u.resource_provider_id, u.resource_class_id), Number(u.used)]));
  const withInventory = new Set(inventories.map((i) => i.resource_provider_id));
  const missing = providerIds.filter((p) => !withInventory.has(p));
  if (missing.length) {
    const classNames = rcIds.map((id) => classes.cachedName(id) ?? String(id)).join(', ');
    const providerNames = wanted.filter((w) => missing.includes(w.providerId)).map((w) => w.providerUuid);
    throw new InvalidAllocation(
      `Unable to allocate inventory: Inventory for '${classNames}' on resource provider '${[...new Set(providerNames)].join(', ')}' invalid.`,
    );
  }
  const sums = new Map<string, number>();
  for (const w of wanted)
    sums.set(key(w.providerId, w.rcId), (sums.get(key(w.providerId, w.rcId)) ?? 0) + w.used);
  for (const w of wanted) {
    const i = inv.get(key(w.providerId, w.rcId));
    if (!i) {
      throw new InvalidAllocation(
        `Unable to allocate inventory: Inventory for '${w.rc}' on resource provider '${w.providerUuid}' invalid.`,
      );
    }
    if (w.used < Number(i.min_unit) || w.used > Number(i.max_unit) || w.used % Number(i.step_size) !== 0) {
      throw new InvalidAllocation(
        `Unable to allocate inventory: Unable to create allocation for '${w.rc}' on resource provider '${w.providerUuid}'. The requested amount would violate inventory constraints.`,
      );
    }
    const capacity = (Number(i.total) - Number(i.reserved)) * Number(i.allocation_ratio);
    const current = used.get(key(w.providerId, w.rcId)) ?? 0;
    if (capacity < current + w.used || capacity < current + sums.get(key(w.providerId, w.rcId))!) {
      throw new InvalidAllocation(
        `Unable to allocate inventory: Unable to create allocation for '${w.rc}' on resource provider '${w.providerUuid}'. The requested amount would exceed the capacity.`,
      );
    }
  }
}

/** The id of a consumer type, created when new (several writers may race: the loser reads the winner's). */
