import type { ComputeDriverFactory } from './driver-api';
import { createFakeComputeDriver } from './fake/fake-compute-driver';

/** The compute drivers by `[compute] compute_driver` name. */
export const computeDrivers = {
  fake: createFakeComputeDriver,
} satisfies Record<string, ComputeDriverFactory>;
