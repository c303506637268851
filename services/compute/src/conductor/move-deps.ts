import type { TypedRpcClient } from '@nimbus/bus';
import type { AllocationMap, PlacementClient } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import type { HostRepository } from '../db/host-repository';
import type { InstanceActionRepository } from '../db/instance-action-repository';
import type { InstanceRepository } from '../db/instance-repository';
import type { MigrationRepository } from '../db/migration-repository';
import type { ComputeNotifier } from '../manager/compute-notifier';
import type { computeRpc } from '../rpc/compute-rpc';
import type { schedulerRpc } from '../rpc/scheduler-rpc';

/** What the conductors of moves (resize, cold and live migration) work with. */
export interface MoveConductorDeps {
  instances: InstanceRepository;
  migrations: MigrationRepository;
  actions: InstanceActionRepository;
  hosts: HostRepository;
  zones: () => Promise<Map<string, string>>;
  scheduler: TypedRpcClient<(typeof schedulerRpc)['methods']>;
  compute: TypedRpcClient<(typeof computeRpc)['methods']>;
  placement: () => PlacementClient;
  notifier: ComputeNotifier;
  logger: Logger;
  defaultZone: string;
}

/** Allocations as PUT/POST /allocations take them (without the providers' generations). */
export function plain(a: Record<string, { resources: Record<string, number> }>): AllocationMap {
  return Object.fromEntries(Object.entries(a).map(([rp, v]) => [rp, { resources: v.resources }]));
}
