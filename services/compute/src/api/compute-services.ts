import type { TypedRpcClient } from '@nimbus/bus';
import type { ServiceClients } from '@nimbus/clients';
import type { AggregateRepository } from '../db/aggregate-repository';
import type { FlavorRepository } from '../db/flavor-repository';
import type { HostRepository } from '../db/host-repository';
import type { InstanceActionRepository } from '../db/instance-action-repository';
import type { InstanceRepository } from '../db/instance-repository';
import type { KeypairRepository } from '../db/keypair-repository';
import type { QuotaManager } from '../manager/quota-manager';
import type { ServerManager } from '../manager/server-manager';
import type { computeRpc } from '../rpc/compute-rpc';

/** What compute's controllers get as `req.services`. */
export interface ComputeServices {
  aggregates: AggregateRepository;
  flavors: FlavorRepository;
  keypairs: KeypairRepository;
  instances: InstanceRepository;
  actions: InstanceActionRepository;
  hosts: HostRepository;
  servers: ServerManager;
  quotas: QuotaManager;
  compute: TypedRpcClient<(typeof computeRpc)['methods']>;
  clients: ServiceClients;
  options: {
    maxLimit: number;
    defaultZone: string;
    serviceDownSeconds: number;
  };
}
