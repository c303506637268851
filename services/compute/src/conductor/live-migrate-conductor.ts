import type { RpcArgs, RpcContext } from '@nimbus/bus';
import type { AllocationMap, PlacementClient } from '@nimbus/clients';
import { nowTimestamp } from '@nimbus/db';
import type { Instance } from '../db/instance-repository';
import { TaskState, VmState } from '../manager/vm-states';
import type { conductorRpc } from '../rpc/conductor-rpc';
import { flavorResources } from './move-conductor';
import { type MoveConductorDeps, plain } from './move-deps';

type M = (typeof conductorRpc)['methods'];

/**
 * The conductor's side of live migration, as Nova runs it: the instance's source allocation moves
 * to the migration record as a placement consumer, the scheduler claims the destination for the
 * instance, the destination agent starts the guest in the same power state (ports bound there)
 * and the source agent drops it; the migration's allocation then goes (`completed`). Any failure
 * gives the source allocation back and leaves the server where it was (`error`), as Nova's
 * rollback does. The agents never touch the database: every state change is written here.
 */
export class LiveMigrateConductor {
  constructor(private readonly deps: MoveConductorDeps) {}

  async liveMigrate(ctx: RpcContext, args: RpcArgs<M['live_migrate_instance']>): Promise<void> {
    const m = await this.deps.migrations.get(args.migration_id);
    if (!m) return;
    const i = await this.deps.instances.get(m.instanceUuid);
    // An abort (cancelled) or a delete got there first.
    if (!(await this.deps.migrations.update(m.id, { status: 'preparing' }, ['accepted', 'queued']))) return;
    if (!i || i.taskState !== TaskState.MIGRATING || !i.host) {
      await this.deps.migrations.update(m.id, { status: 'error' });
      return;
    }
    const started = nowTimestamp();
    const placement = this.deps.placement();
    const held = await placement.getAllocations(i.uuid);
    const source = plain(held.allocations);
    await this.swap(placement, i, m.uuid, source, {}, held.consumer_generation ?? null, null);
    await this.deps.notifier.instance(ctx, 'live_migration_pre', 'start', i);
    let dest: Awaited<ReturnType<typeof this.deps.scheduler.call.select_destinations>>;
    try {
      dest = await this.deps.scheduler.call.select_destinations(ctx, {
        instance_uuid: i.uuid,
        project_id: i.projectId,
        user_id: i.userId,
        resources: flavorResources(i.flavor),
        ...(args.host ? { force_host: args.host } : {}),
        ignore_hosts: [i.host],
        same_host: [],
        different_host: [],
      });
    } catch (err) {
      await this.fail(i, m.id, m.uuid, source, started, (err as Error).message);
      return;
    }
    await this.deps.actions.event(i.uuid, 'conductor_live_migrate_instance', null, true, started);
    const destNode = await this.deps.hosts.nodeByHost(dest.host);
    await this.deps.migrations.update(m.id, {
      status: 'running',
      dest_compute: dest.host,
      dest_node: dest.node,
      dest_host: destNode?.hostIp ?? null,
    });
    const run = nowTimestamp();
    try {
      const zone = (await this.deps.zones()).get(dest.host) ?? this.deps.defaultZone;
      const paused = m.oldVmState === VmState.PAUSED;
      const power = await this.deps.compute.call.move_spawn(
        ctx,
        {
          host: dest.host,
          instance_uuid: i.uuid,
          name: i.name,
          image_ref: i.imageRef,
          flavor: i.flavor,
          vifs: i.networkInfo,
          availability_zone: zone,
          power_on: true,
          pause: paused,
        },
        { server: dest.rpc_server },
      );
      await this.deps.migrations.update(m.id, { status: 'post-migrating' });
      await this.deps.compute.call.move_drop_guest(
        ctx,
        { host: i.host, instance_uuid: i.uuid },
        { server: await this.rpcServer(i.host) },
      );
      await placement.deleteAllocations(m.uuid);
      await this.deps.instances.update(i.uuid, {
        host: dest.host,
        node: dest.node,
        availability_zone: zone,
        vm_state: paused ? VmState.PAUSED : VmState.ACTIVE,
        task_state: null,
        power_state: power,
      });
      await this.deps.migrations.update(m.id, { status: 'completed' });
      await this.deps.actions.event(i.uuid, 'compute_live_migration', i.host, true, run);
      const now = await this.deps.instances.get(i.uuid);
      if (now) await this.deps.notifier.instance(ctx, 'live_migration_post', 'end', now);
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.warn({ err, instance: i.uuid }, 'compute: a live migration failed');
      // The guest may have started on the destination: it goes, the source one stays.
      try {
        await this.deps.compute.call.move_drop_guest(
          ctx,
          { host: dest.host, instance_uuid: i.uuid },
          { server: dest.rpc_server },
        );
      } catch {
        // Nothing was left there.
      }
      await this.fail(i, m.id, m.uuid, source, run, message);
    }
  }

  private async rpcServer(host: string): Promise<string> {
    const node = await this.deps.hosts.nodeByHost(host);
    if (!node) throw new Error(`Compute host ${host} could not be found.`);
    return node.rpcServer;
  }

  /** The source claim back to the instance, the server left as it was, the migration in error. */
  private async fail(
    i: Instance,
    migrationId: number,
    migrationUuid: string,
    source: AllocationMap,
    started: string,
    message: string,
  ): Promise<void> {
    this.deps.logger.info({ instance: i.uuid, err: message }, 'compute: live migration rolled back');
    const placement = this.deps.placement();
    const now = await placement.getAllocations(i.uuid);
    const mig = await placement.getAllocations(migrationUuid);
    await this.swap(
      placement,
      i,
      migrationUuid,
      {},
      source,
      now.consumer_generation ?? null,
      mig.consumer_generation ?? null,
    );
    await this.deps.migrations.update(migrationId, { status: 'error' });
    await this.deps.instances.update(i.uuid, { task_state: null });
    await this.deps.actions.event(i.uuid, 'conductor_live_migrate_instance', null, false, started, message);
  }

  /** Writes the migration's and the instance's allocations in one request. */
  private async swap(
    placement: PlacementClient,
    i: Instance,
    migrationUuid: string,
    toMigration: AllocationMap,
    toInstance: AllocationMap,
    instanceGeneration: number | null,
    migrationGeneration: number | null,
  ): Promise<void> {
    await placement.postAllocations({
      [migrationUuid]: {
        allocations: toMigration,
        project_id: i.projectId,
        user_id: i.userId,
        consumer_generation: migrationGeneration,
        consumer_type: 'MIGRATION',
      },
      [i.uuid]: {
        allocations: toInstance,
        project_id: i.projectId,
        user_id: i.userId,
        consumer_generation: instanceGeneration,
        consumer_type: 'INSTANCE',
      },
    });
  }
}
