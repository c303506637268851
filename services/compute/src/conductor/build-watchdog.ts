import type { RpcContext } from '@nimbus/bus';
import type { Logger } from '@nimbus/logging';
import type { HostRepository } from '../db/host-repository';
import type { Instance, InstanceRepository } from '../db/instance-repository';
import { isServiceUp } from '../manager/service-liveness';
import { TaskState, VmState } from '../manager/vm-states';

/**
 * Ends builds that can no longer finish because the agent building them stopped: a server in
 * BUILD on a host whose `nova-compute` service is down (no heartbeat within
 * `service_down_time`, or forced down) goes to ERROR with a fault naming the host, and its
 * placement allocations are freed (as the agent's own restart would, in upstream's init_host).
 * Builds still being scheduled (no host yet) are the conductor's own and are left alone.
 */
export class BuildWatchdog {
  constructor(
    private readonly deps: {
      hosts: HostRepository;
      instances: InstanceRepository;
      downSeconds: number;
      abortBuild: (ctx: RpcContext, uuid: string, message: string, host: string) => Promise<void>;
      logger: Logger;
    },
  ) {}

  /** One pass; resolves with the servers it put in ERROR. */
  async sweep(): Promise<string[]> {
    const now = Date.now();
    const down = (await this.deps.hosts.services()).filter(
      (s) => s.binary === 'nova-compute' && !isServiceUp(s, this.deps.downSeconds, now),
    );
    const aborted: string[] = [];
    for (const service of down) {
      const stuck = (await this.deps.instances.onHost(service.host)).filter(isBuilding);
      for (const i of stuck) {
        const ctx: RpcContext = { requestId: `req-${crypto.randomUUID()}` };
        const message = `Build of instance ${i.uuid} aborted: the compute service on host ${service.host} is down.`;
        this.deps.logger.warn(
          { instance: i.uuid, host: service.host },
          'compute: build aborted, its agent is down',
        );
        await this.deps.abortBuild(ctx, i.uuid, message, service.host);
        aborted.push(i.uuid);
      }
    }
    return aborted;
  }
}

function isBuilding(i: Instance): boolean {
  return i.vmState === VmState.BUILDING && i.taskState !== TaskState.DELETING;
}
