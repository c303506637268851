import type { RpcArgs, RpcContext, Static, TypedRpcClient } from '@nimbus/bus';
import { nowTimestamp } from '@nimbus/db';
import type { Logger } from '@nimbus/logging';
import type { BlockDeviceMappingRepository } from '../db/block-device-mapping-repository';
import type { HostRepository } from '../db/host-repository';
import type { InstanceActionRepository } from '../db/instance-action-repository';
import type { InstanceChanges, InstanceRepository } from '../db/instance-repository';
import type { ServerGroupRepository } from '../db/server-group-repository';
import { InstanceNotFound, NoValidHost } from '../manager/compute-errors';
import type { ComputeNotifier } from '../manager/compute-notifier';
import { TaskState, VmState } from '../manager/vm-states';
import type { computeRpc } from '../rpc/compute-rpc';
import type { BlockDeviceSpec as BlockDeviceSpecSchema } from '../rpc/compute-rpc-types';
import type { conductorRpc } from '../rpc/conductor-rpc';
import type { schedulerRpc } from '../rpc/scheduler-rpc';

type M = (typeof conductorRpc)['methods'];
type BlockDeviceSpec = Static<typeof BlockDeviceSpecSchema>;

/**
 * The conductor: schedules and casts builds, reschedules a failed build on an alternate host up
 * to `max_attempts`, puts an unschedulable server in ERROR with upstream's fault, and writes the
 * agents' state changes (the agents never touch the database).
 */
export class ConductorManager {
  /** Hosts each build already failed on (retries skip them). */
  private readonly tried = new Map<string, string[]>();

  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      serverGroups: ServerGroupRepository;
      hosts: HostRepository;
      zones: () => Promise<Map<string, string>>;
      actions: InstanceActionRepository;
      scheduler: TypedRpcClient<(typeof schedulerRpc)['methods']>;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      notifier: ComputeNotifier;
      releaseAllocations: (uuid: string) => Promise<void>;
      logger: Logger;
      maxAttempts: number;
      defaultZone: string;
      /** The servers' block device mappings, handed to the agent with each build. */
      bdms?: BlockDeviceMappingRepository;
    },
  ) {}

  async buildInstances(ctx: RpcContext, args: RpcArgs<M['build_instances']>): Promise<void> {
    const first = args.instance_uuids[0] ? await this.deps.instances.get(args.instance_uuids[0]) : undefined;
    if (first?.schedulerHints.group === undefined) {
      await Promise.all(args.instance_uuids.map((uuid) => this.buildOne(ctx, uuid, 1)));
      return;
    }
    // Members of one server group are placed one after another, so each sees its siblings' hosts.
    for (const uuid of args.instance_uuids) await this.buildOne(ctx, uuid, 1);
  }

  private async buildOne(ctx: RpcContext, uuid: string, attempt: number): Promise<void> {
    const instance = await this.deps.instances.get(uuid);
    if (!instance) return;
    if (instance.taskState === TaskState.DELETING) {
      await this.destroyed(uuid);
      return;
    }
    const started = nowTimestamp();
    let dest: Awaited<ReturnType<typeof this.deps.scheduler.call.select_destinations>>;
    const zone = instance.availabilityZone ?? undefined;
    const [az, forceHost, forceNode] = (zone ?? '').split(':');
    const hints = instance.schedulerHints;
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
    try {
      dest = await this.deps.scheduler.call.select_destinations(ctx, {
        instance_uuid: uuid,
        project_id: instance.projectId,
        user_id: instance.userId,
        resources: {
          VCPU: instance.flavor.vcpus,
          MEMORY_MB: instance.flavor.memory_mb,
          DISK_GB:
            instance.flavor.root_gb + instance.flavor.ephemeral_gb + Math.ceil(instance.flavor.swap / 1024),
        },
        ...(az ? { availability_zone: az } : {}),
        ...(forceHost ? { force_host: forceHost } : {}),
        ...(forceNode ? { force_node: forceNode } : {}),
        ignore_hosts: this.tried.get(uuid) ?? [],
        same_host: await this.hostsOf(list(hints.same_host)),
        different_host: await this.hostsOf(list(hints.different_host)),
        ...(await this.groupSpec(uuid, list(hints.group)[0])),
      });
    } catch (err) {
      const message =
        err instanceof NoValidHost
          ? err.message
          : `Build of instance ${uuid} aborted: ${(err as Error).message}`;
      await this.fail(ctx, uuid, message, started, null);
      return;
    }
    const moved = await this.deps.instances.update(
      uuid,
      {
        host: dest.host,
        node: dest.node,
        availability_zone: (await this.deps.zones()).get(dest.host) ?? this.deps.defaultZone,
      },
      { taskState: [TaskState.SCHEDULING] },
    );
    if (!moved) {
      // Deleted while it was being scheduled: give the claim back.
      await this.destroyed(uuid);
      return;
    }
    await this.deps.actions.event(uuid, 'conductor_schedule_and_build_instances', null, true, started);
    const i = (await this.deps.instances.get(uuid))!;
    await this.deps.compute.cast.build_and_run_instance(
      ctx,
      {
        instance_uuid: uuid,
        host: dest.host,
        node: dest.node,
        name: i.name,
        hostname: i.hostname,
        project_id: i.projectId,
        user_id: i.userId,
        availability_zone: i.availabilityZone ?? this.deps.defaultZone,
        flavor: i.flavor,
        image_ref: i.imageRef,
        networks: i.requestedNetworks,
        security_groups: i.securityGroups,
        ...(i.userData ? { user_data: i.userData } : {}),
        ...(await this.blockDevices(uuid)),
        attempt,
      },
      { server: dest.rpc_server },
    );
  }

  /** The build's `block_devices`, when the server has mappings. */
  private async blockDevices(uuid: string): Promise<{ block_devices?: BlockDeviceSpec[] }> {
    const mappings = (await this.deps.bdms?.forInstance(uuid)) ?? [];
    if (mappings.length === 0) return {};
    return {
      block_devices: mappings.map((m) => ({
        bdm_uuid: m.uuid,
        source_type: m.sourceType,
        destination_type: m.destinationType,
        volume_id: m.volumeId,
        snapshot_id: m.snapshotId,
        image_id: m.imageId,
        volume_size: m.volumeSizeGb,
        volume_type: m.volumeType,
        device_name: m.deviceName,
        boot_index: m.bootIndex,
        guest_format: m.guestFormat,
        attachment_id: m.attachmentId,
      })),
    };
  }

  /** The scheduler's view of the server's group: policy, other members' hosts, rules. */
  private async groupSpec(
    uuid: string,
    groupUuid: string | undefined,
  ): Promise<{ group_policy?: string; group_hosts?: string[]; group_max_per_host?: number }> {
    const group = groupUuid ? await this.deps.serverGroups.get(groupUuid) : undefined;
    if (!group) return {};
    const hosts = (await this.deps.serverGroups.memberHosts(group.uuid))
      .filter((m) => m.instanceUuid !== uuid && m.host !== null)
      .map((m) => m.host!);
    return {
      group_policy: group.policy,
      group_hosts: hosts,
      ...(group.rules.max_server_per_host !== undefined
        ? { group_max_per_host: group.rules.max_server_per_host }
        : {}),
    };
  }

  private async hostsOf(uuids: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const u of uuids) {
      const i = await this.deps.instances.get(u);
      if (i?.host) out.push(i.host);
    }
    return out;
  }

  /** Ends a build that cannot finish on `host` (its agent is down): ERROR, allocations freed. */
  async abortBuild(ctx: RpcContext, uuid: string, message: string, host: string): Promise<void> {
    await this.fail(ctx, uuid, message, nowTimestamp(), host);
  }

  private async fail(
    ctx: RpcContext,
    uuid: string,
    message: string,
    started: string,
    host: string | null,
  ): Promise<void> {
    this.tried.delete(uuid);
    await this.deps.releaseAllocations(uuid);
    await this.deps.instances.update(
      uuid,
      {
        vm_state: VmState.ERROR,
        task_state: null,
        fault: { code: 500, message, details: '', created: nowTimestamp() },
      },
      { taskState: [TaskState.SCHEDULING, TaskState.NETWORKING, TaskState.SPAWNING, null] },
    );
    await this.deps.actions.event(
      uuid,
      host ? 'compute_build_and_run_instance' : 'conductor_schedule_and_build_instances',
      host,
      false,
      started,
      message,
    );
    const i = await this.deps.instances.get(uuid);
    if (i) await this.deps.notifier.instance(ctx, 'create', 'error', i, { message });
    else await this.destroyed(uuid);
  }

  async instanceUpdate(_ctx: RpcContext, args: RpcArgs<M['instance_update']>): Promise<void> {
    const i = await this.deps.instances.get(args.instance_uuid);
    if (!i) throw new InstanceNotFound(args.instance_uuid);
    const u = args.updates;
    const changes: InstanceChanges = {};
    if (u.power_state !== undefined) changes.power_state = u.power_state;
    if (u.network_info !== undefined) changes.network_info = u.network_info;
    if (u.launched_at !== undefined) changes.launched_at = u.launched_at;
    if (u.fault !== undefined) changes.fault = u.fault ? { ...u.fault, created: nowTimestamp() } : null;
    // A delete under way keeps its task state: the agent's late news must not resurrect the server.
    if (i.taskState !== TaskState.DELETING) {
      if (u.vm_state !== undefined) changes.vm_state = u.vm_state;
      if (u.task_state !== undefined) changes.task_state = u.task_state;
    }
    await this.deps.instances.update(args.instance_uuid, changes);
  }

  async buildResult(ctx: RpcContext, args: RpcArgs<M['build_result']>): Promise<void> {
    const started = nowTimestamp();
    if (args.ok) {
      this.tried.delete(args.instance_uuid);
      await this.deps.actions.event(
        args.instance_uuid,
        'compute_build_and_run_instance',
        args.host,
        true,
        started,
      );
      return;
    }
    const i = await this.deps.instances.get(args.instance_uuid);
    if (!i) return;
    if (i.taskState === TaskState.DELETING) return;
    if (args.retryable && args.attempt < this.deps.maxAttempts) {
      this.tried.set(args.instance_uuid, [...(this.tried.get(args.instance_uuid) ?? []), args.host]);
      await this.deps.releaseAllocations(args.instance_uuid);
      await this.deps.actions.event(
        args.instance_uuid,
        'compute_build_and_run_instance',
        args.host,
        false,
        started,
        args.message,
      );
      await this.deps.instances.update(args.instance_uuid, {
        host: null,
        node: null,
        task_state: TaskState.SCHEDULING,
        network_info: [],
      });
      await this.buildOne(ctx, args.instance_uuid, args.attempt + 1);
      return;
    }
    const message = args.retryable
      ? `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${args.instance_uuid}.`
      : (args.message ?? 'Build failed');
    await this.fail(ctx, args.instance_uuid, message, started, args.host);
  }

  async destroyed(uuid: string): Promise<void> {
    const now = nowTimestamp();
    this.tried.delete(uuid);
    await this.deps.instances.update(uuid, {
      deleted: true,
      deleted_at: now,
      terminated_at: now,
      vm_state: VmState.DELETED,
      task_state: null,
      power_state: 0,
    });
    await this.deps.releaseAllocations(uuid);
  }

  async reportNodes(args: RpcArgs<M['report_nodes']>): Promise<void> {
    await this.deps.hosts.upsertNodes(
      args.rpc_server,
      args.nodes.map((n) => ({
        uuid: n.uuid,
        hypervisorHostname: n.hypervisor_hostname,
        host: n.host,
        vcpus: n.vcpus,
        memoryMb: n.memory_mb,
        localGb: n.local_gb,
        hypervisorType: n.hypervisor_type,
        hypervisorVersion: n.hypervisor_version,
        hostIp: n.host_ip,
        cpuInfo: n.cpu_info,
      })),
    );
    await this.deps.hosts.heartbeatMany(args.nodes.map((n) => n.host));
  }
}
