import type { RpcArgs, RpcContext, TypedRpcClient } from '@nimbus/bus';
import type { ImageClient } from '@nimbus/clients';
import { nowTimestamp } from '@nimbus/db';
import type { Logger } from '@nimbus/logging';
import type { InstanceActionRepository } from '../db/instance-action-repository';
import type { InstanceRepository } from '../db/instance-repository';
import { PowerState } from '../drivers/driver-api';
import { SHELVED_IMAGE_KEY } from '../manager/actions/shelve-actions';
import type { ComputeNotifier } from '../manager/compute-notifier';
import { TaskState, VmState } from '../manager/vm-states';
import type { computeRpc } from '../rpc/compute-rpc';
import type { conductorRpc } from '../rpc/conductor-rpc';
import type { schedulerRpc } from '../rpc/scheduler-rpc';
import { flavorResources } from './move-conductor';

type M = (typeof conductorRpc)['methods'];

/**
 * The conductor's side of shelving, as Nova runs it: an offloaded server gives its host's
 * allocations back and leaves the host (SHELVED_OFFLOADED); unshelving one schedules it again
 * like a boot (a claim for the instance), has the chosen agent spawn it from the shelved image
 * with its ports bound there, and deletes that image once the server runs.
 */
export class ShelveConductor {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      actions: InstanceActionRepository;
      zones: () => Promise<Map<string, string>>;
      scheduler: TypedRpcClient<(typeof schedulerRpc)['methods']>;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      image: () => ImageClient;
      releaseAllocations: (instanceUuid: string) => Promise<void>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
      notifier: ComputeNotifier;
      logger: Logger;
      defaultZone: string;
    },
  ) {}

  /**
   * The periodic offload (`shelved_offload_time` > 0): SHELVED servers shelved longer ago than
   * that are offloaded through their agent; answers how many were asked to.
   */
  async offloadExpired(ctx: RpcContext, offloadSeconds: number): Promise<number> {
    if (offloadSeconds <= 0) return 0;
    const cutoff = Date.now() - offloadSeconds * 1000;
    const shelved = await this.deps.instances.list({ vmStates: [VmState.SHELVED] }, { limit: 1000 });
    let n = 0;
    for (const i of shelved) {
      const at = Date.parse(i.systemMetadata.shelved_at ?? '');
      const host = i.node ?? i.host;
      if (i.taskState !== null || !host || Number.isNaN(at) || at > cutoff) continue;
      const server = await this.deps.nodeRpcServer(host);
      if (!server) continue;
      const ok = await this.deps.instances.update(
        i.uuid,
        { task_state: TaskState.SHELVING_OFFLOADING },
        { vmState: [VmState.SHELVED], taskState: [null] },
      );
      if (!ok) continue;
      await this.deps.compute.cast.shelve_offload_instance(ctx, { host, instance_uuid: i.uuid }, { server });
      n++;
    }
    return n;
  }

  /** The agent removed a shelved guest: the claim goes and the server leaves its host. */
  async instanceOffloaded(ctx: RpcContext, args: RpcArgs<M['instance_offloaded']>): Promise<void> {
    const i = await this.deps.instances.get(args.instance_uuid);
    if (!i) return;
    await this.deps.releaseAllocations(i.uuid);
    if (i.taskState === TaskState.DELETING) return;
    await this.deps.instances.update(i.uuid, {
      vm_state: VmState.SHELVED_OFFLOADED,
      task_state: null,
      power_state: PowerState.SHUTDOWN,
      host: null,
      node: null,
    });
    const now = await this.deps.instances.get(i.uuid);
    if (now) await this.deps.notifier.instance(ctx, 'shelve_offload', 'end', now);
  }

  /** Schedules and spawns a SHELVED_OFFLOADED server again (ACTIVE), or back to offloaded. */
  async unshelveInstance(ctx: RpcContext, args: RpcArgs<M['unshelve_instance']>): Promise<void> {
    const i = await this.deps.instances.get(args.instance_uuid);
    if (!i || i.taskState !== TaskState.UNSHELVING) return;
    const imageId = i.systemMetadata[SHELVED_IMAGE_KEY] || i.imageRef;
    const started = nowTimestamp();
    await this.deps.notifier.instance(ctx, 'unshelve', 'start', i);
    let dest: Awaited<ReturnType<typeof this.deps.scheduler.call.select_destinations>>;
    try {
      dest = await this.deps.scheduler.call.select_destinations(ctx, {
        instance_uuid: i.uuid,
        project_id: i.projectId,
        user_id: i.userId,
        resources: flavorResources(i.flavor),
        ...(args.availability_zone ? { availability_zone: args.availability_zone } : {}),
        ...(args.host ? { force_host: args.host } : {}),
        ignore_hosts: [],
        same_host: [],
        different_host: [],
      });
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.info({ instance: i.uuid, err: message }, 'compute: no host to unshelve on');
      await this.deps.instances.update(i.uuid, { task_state: null });
      await this.deps.actions.event(i.uuid, 'schedule_instances', null, false, started, message);
      return;
    }
    await this.deps.actions.event(i.uuid, 'schedule_instances', null, true, started);
    const spawnStarted = nowTimestamp();
    try {
      const zone = (await this.deps.zones()).get(dest.host) ?? this.deps.defaultZone;
      await this.deps.instances.update(i.uuid, { task_state: TaskState.SPAWNING_UNSHELVE });
      const power = await this.deps.compute.call.move_spawn(
        ctx,
        {
          host: dest.host,
          instance_uuid: i.uuid,
          name: i.name,
          image_ref: imageId,
          flavor: i.flavor,
          vifs: i.networkInfo,
          availability_zone: zone,
          power_on: true,
        },
        { server: dest.rpc_server },
      );
      const sys = { ...i.systemMetadata };
      delete sys[SHELVED_IMAGE_KEY];
      delete sys.shelved_at;
      delete sys.shelved_host;
      await this.deps.instances.update(i.uuid, {
        host: dest.host,
        node: dest.node,
        availability_zone: zone,
        vm_state: VmState.ACTIVE,
        task_state: null,
        power_state: power,
        system_metadata: sys,
      });
      await this.deps.actions.event(i.uuid, 'compute_unshelve_instance', dest.host, true, spawnStarted);
      if (i.systemMetadata[SHELVED_IMAGE_KEY]) await this.dropImage(i.systemMetadata[SHELVED_IMAGE_KEY]);
      const now = await this.deps.instances.get(i.uuid);
      if (now) await this.deps.notifier.instance(ctx, 'unshelve', 'end', now);
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.warn({ err, instance: i.uuid }, 'compute: unshelve failed');
      await this.deps.releaseAllocations(i.uuid);
      await this.deps.instances.update(i.uuid, {
        vm_state: VmState.SHELVED_OFFLOADED,
        task_state: null,
        fault: { code: 500, message, details: '', created: nowTimestamp() },
      });
      await this.deps.actions.event(
        i.uuid,
        'compute_unshelve_instance',
        dest.host,
        false,
        spawnStarted,
        message,
      );
    }
  }

  private async dropImage(id: string): Promise<void> {
    try {
      await this.deps.image().deleteImage(id);
    } catch (err) {
      this.deps.logger.warn({ err, image: id }, 'compute: could not delete the shelved image');
    }
  }
}
