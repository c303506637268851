import { randomUUID } from 'node:crypto';
import type { TypedRpcClient } from '@nimbus/bus';
import { NotFoundError } from '@nimbus/errors';
import type { HostRepository } from '../../db/host-repository';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance, InstanceRepository } from '../../db/instance-repository';
import type { MigrationRecord, MigrationRepository } from '../../db/migration-repository';
import type { conductorRpc } from '../../rpc/conductor-rpc';
import { InstanceInvalidState, InstanceIsLocked, InvalidInput } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';

/** A live migration as the API asks for it. */
export interface LiveMigrateInput {
  /** The destination; undefined lets the scheduler pick. */
  host?: string;
  /** true, false or 'auto' (2.25); the fake hosts share nothing, so every move copies the disk. */
  blockMigration: boolean | 'auto';
  /** 2.30–2.67: skip the scheduler's checks of the named host. */
  force: boolean;
}

/** Live-migration statuses a `force_complete` or an abort can still act on. */
const ABORTABLE = ['queued', 'preparing', 'accepted'];

/**
 * The API side of `os-migrateLive`, `force_complete` and aborting a live migration: checks the
 * lock, the state (ACTIVE or PAUSED, no task) and the destination (400 for a host that does not
 * exist or is the server's own), records a `live-migration` migration (`accepted`), moves the
 * task state to `migrating` under a compare-and-set and casts the move to the conductor.
 */
export class LiveMigrateActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      migrations: MigrationRepository;
      actions: InstanceActionRepository;
      hosts: HostRepository;
      conductor: TypedRpcClient<(typeof conductorRpc)['methods']>;
    },
  ) {}

  /** `os-migrateLive` (202). */
  async liveMigrate(caller: CallerContext, i: Instance, input: LiveMigrateInput): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    const states: string[] = [VmState.ACTIVE, VmState.PAUSED];
    if (!states.includes(i.vmState))
      throw new InstanceInvalidState('os-migrateLive', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null)
      throw new InstanceInvalidState('os-migrateLive', i.uuid, 'task_state', i.taskState);
    if (input.host !== undefined) {
      const node = await this.deps.hosts.nodeByHost(input.host);
      if (!node) throw new InvalidInput(`Compute host ${input.host} could not be found.`);
      if (input.host === i.host)
        throw new InvalidInput(`Unable to migrate instance (${i.uuid}) to current host (${i.host}).`);
    }
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.MIGRATING },
      { vmState: states, taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState('os-migrateLive', i.uuid, 'task_state', now?.taskState ?? null);
    }
    const m = await this.deps.migrations.create({
      uuid: randomUUID(),
      instanceUuid: i.uuid,
      migrationType: 'live-migration',
      status: 'accepted',
      sourceCompute: i.host,
      sourceNode: i.node,
      destCompute: input.host ?? null,
      destNode: null,
      destHost: null,
      oldFlavor: i.flavor,
      newFlavor: i.flavor,
      oldVmState: i.vmState,
      projectId: i.projectId,
      userId: i.userId,
    });
    await this.deps.actions.start(i.uuid, 'live-migration', caller.rpc);
    await this.deps.conductor.cast.live_migrate_instance(caller.rpc, {
      migration_id: m.id,
      ...(input.host ? { host: input.host, force: input.force } : {}),
    });
  }

  /**
   * `force_complete` (2.22): only a migration still under way; the fake hosts copy memory in one
   * pass, so a migration is never left waiting to converge and this answers 400 once it runs.
   */
  async forceComplete(caller: CallerContext, i: Instance, migrationId: number): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    const m = await this.migration(i, migrationId);
    if (i.vmState !== VmState.ACTIVE && i.vmState !== VmState.PAUSED)
      throw new InstanceInvalidState('force_complete', i.uuid, 'vm_state', i.vmState);
    if (m.status !== 'running')
      throw new InvalidInput(
        `Migration ${m.id} state of instance ${i.uuid} is ${m.status}. Cannot force_complete while the migration is in this state.`,
      );
    await this.deps.actions.start(i.uuid, 'live_migration_force_complete', caller.rpc);
  }

  /** `DELETE /servers/{id}/migrations/{mid}` (2.24): cancels a live migration not yet running. */
  async abort(caller: CallerContext, i: Instance, migrationId: number): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    const m = await this.migration(i, migrationId);
    if (!(await this.deps.migrations.update(m.id, { status: 'cancelled' }, ABORTABLE)))
      throw new InvalidInput(
        `Migration ${m.id} state of instance ${i.uuid} is ${m.status}. Cannot abort live migration while the migration is in this state.`,
      );
    await this.deps.instances.update(i.uuid, { task_state: null }, { taskState: [TaskState.MIGRATING] });
    await this.deps.actions.start(i.uuid, 'live_migration_abort', caller.rpc);
  }

  private async migration(i: Instance, id: number): Promise<MigrationRecord> {
    const m = Number.isInteger(id) ? await this.deps.migrations.get(id) : undefined;
    if (!m || m.instanceUuid !== i.uuid)
      throw new NotFoundError(`Migration ${id} could not be found for instance ${i.uuid}.`);
    if (m.migrationType !== 'live-migration')
      throw new InvalidInput(`Migration ${id} for instance ${i.uuid} is not live-migration.`);
    return m;
  }
}
