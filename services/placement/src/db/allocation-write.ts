import { PlacementBadRequest, PlacementConflict, placementCodes } from '../manager/placement-errors';

/** What one consumer should hold after a write: provider uuid → class → amount (empty: nothing). */
export interface ConsumerAllocations {
  consumerUuid: string;
  allocations: Map<string, Map<string, number>>;
  projectId: string;
  userId: string;
  /** Checked when `checkGeneration` (1.28+): null means "a new consumer". */
  consumerGeneration?: number | null;
  checkGeneration: boolean;
  /** Set from 1.38. */
  consumerType?: string;
}

/** A class or provider named in allocations does not exist (400 at the API). */
export class AllocationTargetMissing extends PlacementBadRequest {}

/**
 * The consumer generation check of 1.28+: `existing` is the stored consumer (undefined when
 * new). Throws 409 `placement.concurrent_update` when the caller's generation is not current.
 */
export function checkConsumerGeneration(
  existing: { generation: number } | undefined,
  c: ConsumerAllocations,
): void {
  if (!c.checkGeneration) return;
  if (existing && existing.generation !== c.consumerGeneration) {
    throw new PlacementConflict(
      `consumer generation conflict - expected ${existing.generation} but got ${c.consumerGeneration ?? 'None'}`,
      placementCodes.concurrentUpdate,
    );
  }
  if (!existing && c.consumerGeneration !== null && c.consumerGeneration !== undefined) {
    throw new PlacementConflict(
      `consumer generation conflict - expected null but got ${c.consumerGeneration}`,
      placementCodes.concurrentUpdate,
    );
  }
}

/** A consumer's generation moved between reading and writing it (409). */
export function consumerRace(): PlacementConflict {
  return new PlacementConflict(
    'Inventory and/or allocations changed while attempting to allocate: Another thread concurrently updated the data. Please retry your update',
    placementCodes.concurrentUpdate,
  );
}
