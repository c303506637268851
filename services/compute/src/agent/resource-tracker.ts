import { createHash } from 'node:crypto';
import type { RpcContext, TypedRpcClient } from '@nimbus/bus';
import {
  type InventoryRecord,
  type PlacementClient,
  RemoteServiceError,
  type ResourceProviderDocument,
} from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import type { ComputeDriver } from '../drivers/driver-api';
import type { conductorRpc } from '../rpc/conductor-rpc';

/** Allocation ratios and reserved amounts reported with each host's inventory. */
export interface TrackerOptions {
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  reservedHostMemoryMb: number;
  reservedHostDiskMb: number;
  reservedHostCpus: number;
}

/** A stable provider uuid for a node name, so a restarted agent finds its providers again. */
export function nodeUuid(node: string): string {
  const h = createHash('sha1').update(`nimbus-compute-node:${node}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * The resource tracker of one agent process: each simulated host is a compute node and a
 * placement resource provider with VCPU, MEMORY_MB and DISK_GB inventory. Providers and
 * inventories are written when they change (not every pass); the heartbeat of every host goes to
 * the conductor in one call per pass, so 1,000 idle hosts cost one message per interval.
 */
export class ResourceTracker {
  /** Inventory last written per provider (skip unchanged writes). */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly deps: {
      hosts: readonly string[];
      rpcServer: string;
      driver: ComputeDriver;
      placement: () => PlacementClient;
      conductor: TypedRpcClient<(typeof conductorRpc)['methods']>;
      options: TrackerOptions;
      logger: Logger;
    },
  ) {}

  /** One pass: providers and inventories where they changed, then every host's heartbeat. */
  async update(signal?: AbortSignal): Promise<void> {
    const ctx: RpcContext = { requestId: `req-${crypto.randomUUID()}` };
    const nodes = [];
    const pending: Promise<void>[] = [];
    for (const host of this.deps.hosts) {
      if (signal?.aborted) return;
      const r = this.deps.driver.hostResources(host);
      const uuid = nodeUuid(host);
      nodes.push({
        hypervisor_hostname: host,
        host,
        uuid,
        vcpus: r.vcpus,
        memory_mb: r.memoryMb,
        local_gb: r.localGb,
        hypervisor_type: r.hypervisorType,
        hypervisor_version: r.hypervisorVersion,
        host_ip: r.hostIp,
        cpu_info: JSON.stringify(r.cpuInfo),
      });
      const o = this.deps.options;
      const inventories: Record<string, InventoryRecord> = {
        VCPU: {
          total: r.vcpus,
          reserved: o.reservedHostCpus,
          min_unit: 1,
          max_unit: r.vcpus,
          step_size: 1,
          allocation_ratio: o.cpuAllocationRatio,
        },
        MEMORY_MB: {
          total: r.memoryMb,
          reserved: o.reservedHostMemoryMb,
          min_unit: 1,
          max_unit: r.memoryMb,
          step_size: 1,
          allocation_ratio: o.ramAllocationRatio,
        },
        DISK_GB: {
          total: r.localGb,
          reserved: Math.ceil(o.reservedHostDiskMb / 1024),
          min_unit: 1,
          max_unit: r.localGb,
          step_size: 1,
          allocation_ratio: o.diskAllocationRatio,
        },
      };
      const key = JSON.stringify(inventories);
      if (this.written.get(uuid) !== key) {
        pending.push(
          this.writeProvider(uuid, host, inventories).then(() => void this.written.set(uuid, key)),
        );
        if (pending.length >= 32) await Promise.all(pending.splice(0));
      }
    }
    await Promise.all(pending);
    await this.deps.conductor.call.report_nodes(ctx, { rpc_server: this.deps.rpcServer, nodes });
  }

  private async writeProvider(
    uuid: string,
    name: string,
    inventories: Record<string, InventoryRecord>,
  ): Promise<void> {
    const placement = this.deps.placement();
    // Create first: on a fresh start that is one call per host; a provider that exists answers 409.
    let rp: ResourceProviderDocument | undefined;
    try {
      rp = await placement.createProvider({ uuid, name });
    } catch (err) {
      if (!(err instanceof RemoteServiceError && err.httpStatus === 409)) throw err;
      rp = await placement.getProvider(uuid);
      if (!rp) throw err;
    }
    // The provider's generation is known from the answer above: one PUT, re-read only on a conflict.
    let generation = rp.generation;
    for (let attempt = 0; ; attempt++) {
      try {
        await placement.setInventories(uuid, generation, inventories);
        return;
      } catch (err) {
        if (!(err instanceof RemoteServiceError && err.httpStatus === 409) || attempt === 2) throw err;
        generation = (await placement.getInventories(uuid)).resource_provider_generation;
      }
    }
  }
}
