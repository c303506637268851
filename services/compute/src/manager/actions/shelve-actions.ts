import type { TypedRpcClient } from '@nimbus/bus';
import { nowTimestamp } from '@nimbus/db';
import type { HostRepository } from '../../db/host-repository';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance, InstanceRepository } from '../../db/instance-repository';
import type { computeRpc } from '../../rpc/compute-rpc';
import type { conductorRpc } from '../../rpc/conductor-rpc';
import { InstanceInvalidState, InstanceIsLocked, InvalidInput } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';
import { createSnapshotImage, dropSnapshotImage } from './snapshot-image';

/** The system metadata key naming the image a shelve saved the server's disk to. */
export const SHELVED_IMAGE_KEY = 'shelved_image_id';

/**
 * What deleting a SHELVED_OFFLOADED server frees besides its row (it has no host to do it): its
 * ports (deleted when compute made them, else unbound) and its shelved image, as Nova's local
 * delete does. Best effort: a port or image already gone is fine.
 */
export async function releaseOffloaded(caller: CallerContext, i: Instance): Promise<void> {
  const net = caller.clients.network;
  for (const vif of i.networkInfo) {
    try {
      if (vif.created_by_compute) await net.deletePort(vif.port_id);
      else await net.unbindPort(vif.port_id);
    } catch {
      // Gone already, or not ours to change: the server is deleted either way.
    }
  }
  const imageId = i.systemMetadata[SHELVED_IMAGE_KEY];
  if (imageId) await dropSnapshotImage(caller, imageId);
}

/** The vm_states Nova shelves from. */
const SHELVABLE: string[] = [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED];

/** Where an `unshelve` asks to go (2.77 `availability_zone`, 2.91 `host` and a null zone). */
export interface UnshelveTarget {
  /** A zone name; null (2.91) unpins the server from the zone it had. */
  availabilityZone?: string | null;
  host?: string;
}

/**
 * The API side of `shelve`, `shelveOffload` and `unshelve`, as Nova runs them: a shelve snapshots
 * the disk into `<name>-shelved` and powers the guest off (SHELVED), then offloads it at once when
 * `shelved_offload_time` is 0 (SHELVED_OFFLOADED: no host, no allocations); `unshelve` powers a
 * SHELVED server on where it is, or has the conductor schedule an offloaded one again.
 */
export class ShelveActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      actions: InstanceActionRepository;
      hosts: HostRepository;
      zones: () => Promise<Map<string, string>>;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      conductor: TypedRpcClient<(typeof conductorRpc)['methods']>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
      /** `shelved_offload_time`: 0 offloads at once, -1 never, N after N seconds. */
      offloadSeconds: number;
      /** The zone of hosts in no zoned aggregate. */
      defaultZone: string;
    },
  ) {}

  /** `shelve` (202). */
  async shelve(caller: CallerContext, i: Instance): Promise<void> {
    this.checkLock(caller, i);
    if (!SHELVABLE.includes(i.vmState))
      throw new InstanceInvalidState('shelve', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState('shelve', i.uuid, 'task_state', i.taskState);
    const { host, server } = await this.target('shelve', i);
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.SHELVING },
      { vmState: SHELVABLE, taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState('shelve', i.uuid, 'task_state', now?.taskState ?? null);
    }
    let imageId: string;
    try {
      imageId = await createSnapshotImage(caller, i, `${i.name}-shelved`, { imageType: 'snapshot' });
    } catch (err) {
      await this.deps.instances.update(i.uuid, { task_state: null }, { taskState: [TaskState.SHELVING] });
      throw err;
    }
    await this.deps.instances.update(i.uuid, {
      system_metadata: {
        ...i.systemMetadata,
        [SHELVED_IMAGE_KEY]: imageId,
        shelved_at: nowTimestamp(),
        shelved_host: i.host ?? '',
      },
    });
    try {
      await this.deps.actions.start(i.uuid, 'shelve', caller.rpc);
      await this.deps.compute.cast.snapshot_instance(
        caller.rpc,
        {
          host,
          instance_uuid: i.uuid,
          image_id: imageId,
          purpose: 'shelve',
          offload: this.deps.offloadSeconds === 0,
        },
        { server },
      );
    } catch (err) {
      await dropSnapshotImage(caller, imageId);
      await this.deps.instances.update(i.uuid, { task_state: null }, { taskState: [TaskState.SHELVING] });
      throw err;
    }
  }

  /** `shelveOffload` of a SHELVED server (202). */
  async offload(caller: CallerContext, i: Instance): Promise<void> {
    this.checkLock(caller, i);
    if (i.vmState !== VmState.SHELVED)
      throw new InstanceInvalidState('shelveOffload', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null)
      throw new InstanceInvalidState('shelveOffload', i.uuid, 'task_state', i.taskState);
    const { host, server } = await this.target('shelveOffload', i);
    await this.moveTask('shelveOffload', i, [VmState.SHELVED], TaskState.SHELVING_OFFLOADING);
    await this.deps.actions.start(i.uuid, 'shelveOffload', caller.rpc);
    await this.deps.compute.cast.shelve_offload_instance(
      caller.rpc,
      { host, instance_uuid: i.uuid },
      { server },
    );
  }

  /** `unshelve` (202): a zone or host only for an offloaded server (409 otherwise). */
  async unshelve(caller: CallerContext, i: Instance, to: UnshelveTarget): Promise<void> {
    this.checkLock(caller, i);
    const states: string[] = [VmState.SHELVED, VmState.SHELVED_OFFLOADED];
    if (!states.includes(i.vmState))
      throw new InstanceInvalidState('unshelve', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState('unshelve', i.uuid, 'task_state', i.taskState);
    const offloaded = i.vmState === VmState.SHELVED_OFFLOADED;
    if ((to.availabilityZone !== undefined || to.host !== undefined) && !offloaded)
      throw new InstanceInvalidState('unshelve', i.uuid, 'vm_state', i.vmState);
    let zone =
      to.availabilityZone === null ? undefined : (to.availabilityZone ?? i.availabilityZone ?? undefined);
    if (typeof to.availabilityZone === 'string') {
      const known = new Set([...(await this.deps.zones()).values(), this.deps.defaultZone]);
      if (!known.has(to.availabilityZone))
        throw new InvalidInput(`The requested availability zone is not available (${to.availabilityZone}).`);
    }
    if (to.host !== undefined) {
      const node = await this.deps.hosts.nodeByHost(to.host);
      if (!node) throw new InvalidInput(`Compute host ${to.host} could not be found.`);
      const hostZone = (await this.deps.zones()).get(to.host) ?? this.deps.defaultZone;
      if (typeof to.availabilityZone === 'string' && hostZone !== to.availabilityZone)
        throw new InvalidInput(`Host ${to.host} is not in availability zone ${to.availabilityZone}.`);
      zone = undefined;
    }
    if (offloaded) {
      const changes = to.availabilityZone !== undefined ? { availability_zone: to.availabilityZone } : {};
      await this.moveTask('unshelve', i, [VmState.SHELVED_OFFLOADED], TaskState.UNSHELVING, changes);
      await this.deps.actions.start(i.uuid, 'unshelve', caller.rpc);
      await this.deps.conductor.cast.unshelve_instance(caller.rpc, {
        instance_uuid: i.uuid,
        ...(zone ? { availability_zone: zone } : {}),
        ...(to.host ? { host: to.host } : {}),
      });
      return;
    }
    const { host, server } = await this.target('unshelve', i);
    const sys = { ...i.systemMetadata };
    const imageId = sys[SHELVED_IMAGE_KEY];
    delete sys[SHELVED_IMAGE_KEY];
    delete sys.shelved_at;
    delete sys.shelved_host;
    await this.moveTask('unshelve', i, [VmState.SHELVED], TaskState.UNSHELVING, { system_metadata: sys });
    await this.deps.actions.start(i.uuid, 'unshelve', caller.rpc);
    await this.deps.compute.cast.unshelve_in_place(
      caller.rpc,
      { host, instance_uuid: i.uuid, ...(imageId ? { image_id: imageId } : {}) },
      { server },
    );
  }

  private async moveTask(
    action: string,
    i: Instance,
    vmStates: string[],
    task: string,
    more: { availability_zone?: string | null; system_metadata?: Record<string, string> } = {},
  ): Promise<void> {
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: task, ...more },
      { vmState: vmStates, taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState(action, i.uuid, 'task_state', now?.taskState ?? null);
    }
  }

  private checkLock(caller: CallerContext, i: Instance): void {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
  }

  private async target(action: string, i: Instance): Promise<{ host: string; server: string }> {
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    return { host, server };
  }
}
