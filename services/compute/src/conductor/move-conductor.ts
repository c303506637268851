import type { RpcArgs, RpcContext } from '@nimbus/bus';
import type { AllocationMap, PlacementClient } from '@nimbus/clients';
import { nowTimestamp } from '@nimbus/db';
import type { FlavorSnapshot, Instance } from '../db/instance-repository';
import type { MigrationRecord } from '../db/migration-repository';
import { TaskState, VmState } from '../manager/vm-states';
import type { conductorRpc } from '../rpc/conductor-rpc';
import { type MoveConductorDeps, plain } from './move-deps';

type M = (typeof conductorRpc)['methods'];

/** The placement resources a flavor asks for (as a boot claims them). */
export function flavorResources(f: FlavorSnapshot): Record<string, number> {
  return {
    VCPU: f.vcpus,
    MEMORY_MB: f.memory_mb,
    DISK_GB: f.root_gb + f.ephemeral_gb + Math.ceil(f.swap / 1024),
  };
}

/**
 * The conductor's side of moves (resize and cold migration), as Nova 26 runs them: the instance's
 * source allocation moves to the migration record as a placement consumer, the scheduler claims
 * the destination for the instance, the source agent powers the guest off and the destination
 * agent starts it with the new flavor (VERIFY_RESIZE). Confirming drops the source guest and the
 * migration's allocation; reverting drops the destination's and gives the source allocation back
 * to the instance. The agents never touch the database: every state change is written here.
 */
export class MoveConductor {
  constructor(private readonly deps: MoveConductorDeps & { allowResizeToSameHost: boolean }) {}

  private async rpcServer(host: string): Promise<string> {
    const node = await this.deps.hosts.nodeByHost(host);
    if (!node) throw new Error(`Compute host ${host} could not be found.`);
    return node.rpcServer;
  }

  /** Runs a recorded move to VERIFY_RESIZE (or back to where it was when no host fits). */
  async moveInstance(ctx: RpcContext, args: RpcArgs<M['move_instance']>): Promise<void> {
    const m = await this.deps.migrations.get(args.migration_id);
    if (!m) return;
    const i = await this.deps.instances.get(m.instanceUuid);
    if (!i || i.taskState === TaskState.DELETING || !i.host) {
      await this.deps.migrations.update(m.id, { status: 'error' });
      return;
    }
    const started = nowTimestamp();
    const placement = this.deps.placement();
    const held = await placement.getAllocations(i.uuid);
    const source = plain(held.allocations);
    // The source claim becomes the migration's; the instance claims the destination afresh.
    await placement.postAllocations({
      [m.uuid]: {
        allocations: source,
        project_id: i.projectId,
        user_id: i.userId,
        consumer_generation: null,
        consumer_type: 'MIGRATION',
      },
      [i.uuid]: {
        allocations: {},
        project_id: i.projectId,
        user_id: i.userId,
        consumer_generation: held.consumer_generation ?? null,
        consumer_type: 'INSTANCE',
      },
    });
    await this.deps.notifier.instance(ctx, 'resize_prep', 'start', i);
    const sameHost = m.migrationType === 'resize' && this.deps.allowResizeToSameHost;
    let dest: Awaited<ReturnType<typeof this.deps.scheduler.call.select_destinations>>;
    try {
      dest = await this.deps.scheduler.call.select_destinations(ctx, {
        instance_uuid: i.uuid,
        project_id: i.projectId,
        user_id: i.userId,
        resources: flavorResources(m.newFlavor),
        ...(args.force_host ? { force_host: args.force_host } : {}),
        ignore_hosts: sameHost || args.force_host ? [] : [i.host],
        same_host: [],
        different_host: [],
      });
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.info({ instance: i.uuid, err: message }, 'compute: no host for a move');
      await this.giveBack(placement, i, m, source);
      await this.deps.migrations.update(m.id, { status: 'error' });
      await this.deps.instances.update(i.uuid, { task_state: null });
      await this.deps.actions.event(i.uuid, 'conductor_migrate_server', null, false, started, message);
      return;
    }
    await this.deps.actions.event(i.uuid, 'conductor_migrate_server', null, true, started);
    const destNode = await this.deps.hosts.nodeByHost(dest.host);
    await this.deps.migrations.update(m.id, {
      status: 'migrating',
      dest_compute: dest.host,
      dest_node: dest.node,
      dest_host: destNode?.hostIp ?? null,
    });
    try {
      const prep = nowTimestamp();
      await this.deps.instances.update(i.uuid, { task_state: TaskState.RESIZE_MIGRATING });
      await this.deps.compute.call.move_power_off(
        ctx,
        { host: i.host, instance_uuid: i.uuid },
        { server: await this.rpcServer(i.host) },
      );
      await this.deps.actions.event(i.uuid, 'compute_resize_instance', i.host, true, prep);
      await this.deps.migrations.update(m.id, { status: 'post-migrating' });
      await this.deps.instances.update(i.uuid, { task_state: TaskState.RESIZE_FINISH });
      const finish = nowTimestamp();
      const zone = (await this.deps.zones()).get(dest.host) ?? this.deps.defaultZone;
      const power = await this.deps.compute.call.move_spawn(
        ctx,
        {
          host: dest.host,
          instance_uuid: i.uuid,
          name: i.name,
          image_ref: i.imageRef,
          flavor: m.newFlavor,
          vifs: i.networkInfo,
          availability_zone: zone,
          power_on: m.oldVmState !== VmState.STOPPED,
        },
        { server: dest.rpc_server },
      );
      await this.deps.instances.update(i.uuid, {
        host: dest.host,
        node: dest.node,
        availability_zone: zone,
        flavor: m.newFlavor,
        vm_state: VmState.RESIZED,
        task_state: null,
        power_state: power,
      });
      await this.deps.migrations.update(m.id, { status: 'finished' });
      await this.deps.actions.event(i.uuid, 'compute_finish_resize', dest.host, true, finish);
      const now = await this.deps.instances.get(i.uuid);
      if (now) await this.deps.notifier.instance(ctx, 'resize_finish', 'end', now);
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.warn({ err, instance: i.uuid }, 'compute: a move failed');
      await this.deps.migrations.update(m.id, { status: 'error' });
      await this.deps.instances.update(i.uuid, {
        vm_state: VmState.ERROR,
        task_state: null,
        fault: { code: 500, message, details: '', created: nowTimestamp() },
      });
      await this.deps.actions.event(i.uuid, 'compute_resize_instance', i.host, false, started, message);
    }
  }

  /** The source allocation back to the instance, the migration consumer emptied. */
  private async giveBack(
    placement: PlacementClient,
    i: Instance,
    m: MigrationRecord,
    source: AllocationMap,
  ): Promise<void> {
    const now = await placement.getAllocations(i.uuid);
    const mig = await placement.getAllocations(m.uuid);
    await placement.postAllocations({
      [i.uuid]: {
        allocations: source,
        project_id: i.projectId,
        user_id: i.userId,
        consumer_generation: now.consumer_generation ?? null,
        consumer_type: 'INSTANCE',
      },
      [m.uuid]: {
        allocations: {},
        project_id: i.projectId,
        user_id: i.userId,
        consumer_generation: mig.consumer_generation ?? null,
        consumer_type: 'MIGRATION',
      },
    });
  }

  /**
   * A server deleted in the middle of a move or in VERIFY_RESIZE: the move is confirmed as
   * upstream does (the other side's guest removed, the migration's allocation freed).
   */
  async instanceDeleted(ctx: RpcContext, instanceUuid: string): Promise<void> {
    const m = await this.deps.migrations.latestFor(instanceUuid, [
      'pre-migrating',
      'migrating',
      'post-migrating',
      'finished',
      'confirming',
      'reverting',
    ]);
    if (!m) return;
    await this.deps.placement().deleteAllocations(m.uuid);
    await this.deps.migrations.update(m.id, { status: 'confirmed' });
    // The agent reporting the delete still holds the instance's queue: remove the other side's
    // guest after this call returns, not inside it.
    const hosts = [m.sourceCompute, m.destCompute].filter((h): h is string => !!h);
    void (async () => {
      for (const host of hosts) {
        try {
          await this.deps.compute.call.move_drop_guest(
            ctx,
            { host, instance_uuid: instanceUuid },
            { server: await this.rpcServer(host) },
          );
        } catch (err) {
          this.deps.logger.warn(
            { err, instance: instanceUuid, host },
            'compute: could not remove a moved guest',
          );
        }
      }
    })();
  }

  /** Confirms: the source guest is removed and the migration's (source) allocation freed. */
  async confirmMove(ctx: RpcContext, args: RpcArgs<M['confirm_move']>): Promise<void> {
    const m = await this.deps.migrations.get(args.migration_id);
    if (!m) return;
    const started = nowTimestamp();
    try {
      if (m.sourceCompute) {
        await this.deps.compute.call.move_drop_guest(
          ctx,
          { host: m.sourceCompute, instance_uuid: m.instanceUuid },
          { server: await this.rpcServer(m.sourceCompute) },
        );
      }
      await this.deps.placement().deleteAllocations(m.uuid);
      await this.deps.migrations.update(m.id, { status: 'confirmed' });
      const i = await this.deps.instances.get(m.instanceUuid);
      if (i && i.taskState !== TaskState.DELETING) {
        await this.deps.instances.update(
          i.uuid,
          { vm_state: i.powerState === 1 ? VmState.ACTIVE : VmState.STOPPED, task_state: null },
          { vmState: [VmState.RESIZED] },
        );
      }
      await this.deps.actions.event(m.instanceUuid, 'compute_confirm_resize', m.sourceCompute, true, started);
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.warn({ err, instance: m.instanceUuid }, 'compute: confirming a move failed');
      await this.deps.migrations.update(m.id, { status: 'error' });
      await this.deps.instances.update(m.instanceUuid, {
        vm_state: VmState.ERROR,
        task_state: null,
        fault: { code: 500, message, details: '', created: nowTimestamp() },
      });
      await this.deps.actions.event(
        m.instanceUuid,
        'compute_confirm_resize',
        m.sourceCompute,
        false,
        started,
        message,
      );
    }
  }

  /** Reverts: the destination guest goes, the source comes back with the old flavor and claim. */
  async revertMove(ctx: RpcContext, args: RpcArgs<M['revert_move']>): Promise<void> {
    const m = await this.deps.migrations.get(args.migration_id);
    if (!m) return;
    const i = await this.deps.instances.get(m.instanceUuid);
    if (!i || !m.sourceCompute || !m.destCompute) return;
    const started = nowTimestamp();
    try {
      await this.deps.compute.call.move_drop_guest(
        ctx,
        { host: m.destCompute, instance_uuid: i.uuid },
        { server: await this.rpcServer(m.destCompute) },
      );
      await this.deps.actions.event(i.uuid, 'compute_revert_resize', m.destCompute, true, started);
      const placement = this.deps.placement();
      const mig = await placement.getAllocations(m.uuid);
      await this.giveBack(placement, i, m, plain(mig.allocations));
      const finish = nowTimestamp();
      const zone = (await this.deps.zones()).get(m.sourceCompute) ?? this.deps.defaultZone;
      const power = await this.deps.compute.call.move_spawn(
        ctx,
        {
          host: m.sourceCompute,
          instance_uuid: i.uuid,
          name: i.name,
          image_ref: i.imageRef,
          flavor: m.oldFlavor,
          vifs: i.networkInfo,
          availability_zone: zone,
          power_on: m.oldVmState !== VmState.STOPPED,
        },
        { server: await this.rpcServer(m.sourceCompute) },
      );
      await this.deps.instances.update(i.uuid, {
        host: m.sourceCompute,
        node: m.sourceNode,
        availability_zone: zone,
        flavor: m.oldFlavor,
        vm_state: m.oldVmState === VmState.STOPPED ? VmState.STOPPED : VmState.ACTIVE,
        task_state: null,
        power_state: power,
      });
      await this.deps.migrations.update(m.id, { status: 'reverted' });
      await this.deps.actions.event(i.uuid, 'compute_finish_revert_resize', m.sourceCompute, true, finish);
      const now = await this.deps.instances.get(i.uuid);
      if (now) await this.deps.notifier.instance(ctx, 'resize_revert', 'end', now);
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.warn({ err, instance: i.uuid }, 'compute: reverting a move failed');
      await this.deps.migrations.update(m.id, { status: 'error' });
      await this.deps.instances.update(i.uuid, {
        vm_state: VmState.ERROR,
        task_state: null,
        fault: { code: 500, message, details: '', created: nowTimestamp() },
      });
      await this.deps.actions.event(i.uuid, 'compute_revert_resize', m.destCompute, false, started, message);
    }
  }
}
