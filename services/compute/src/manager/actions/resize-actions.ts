import { randomUUID } from 'node:crypto';
import type { TypedRpcClient } from '@nimbus/bus';
import type { FlavorRepository } from '../../db/flavor-repository';
import type { HostRepository } from '../../db/host-repository';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { FlavorSnapshot, Instance, InstanceRepository } from '../../db/instance-repository';
import type { MigrationRecord, MigrationRepository } from '../../db/migration-repository';
import type { conductorRpc } from '../../rpc/conductor-rpc';
import { InstanceInvalidState, InstanceIsLocked, InvalidInput, QuotaExceeded } from '../compute-errors';
import { type DiskConfig, withDiskConfig } from '../disk-config';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';

/**
 * The API side of resize, cold migration, confirmResize and revertResize: checks the lock, the
 * state and the flavor, moves the task state under a compare-and-set, records the migration and
 * casts the move to the conductor.
 */
export class ResizeActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      flavors: FlavorRepository;
      migrations: MigrationRepository;
      actions: InstanceActionRepository;
      hosts: HostRepository;
      conductor: TypedRpcClient<(typeof conductorRpc)['methods']>;
      quota: (projectId: string) => Promise<{ cores: number; ram: number }>;
    },
  ) {}

  /** `resize`: to another flavor (400 for an unknown or the same one, 403 over quota). */
  async resize(
    caller: CallerContext,
    i: Instance,
    flavorRef: string,
    diskConfig?: DiskConfig,
  ): Promise<void> {
    this.checkLock(caller, i);
    this.checkMovable('resize', i);
    const flavor = await this.deps.flavors.get(flavorRef);
    if (!flavor || (flavor.disabled && !caller.isAdmin))
      throw new InvalidInput('Invalid flavorRef provided.');
    if (
      !flavor.isPublic &&
      !caller.isAdmin &&
      !(await this.deps.flavors.projects(flavor.id)).includes(caller.projectId)
    )
      throw new InvalidInput('Invalid flavorRef provided.');
    if (flavor.id === i.flavor.flavorid)
      throw new InvalidInput('When resizing, instances must change flavor!');
    const newFlavor: FlavorSnapshot = {
      flavorid: flavor.id,
      name: flavor.name,
      vcpus: flavor.vcpus,
      memory_mb: flavor.ramMb,
      root_gb: flavor.diskGb,
      ephemeral_gb: flavor.ephemeralGb,
      swap: flavor.swapMb,
      extra_specs: flavor.extraSpecs,
    };
    await this.checkQuota(i, newFlavor);
    await this.start(caller, i, 'resize', newFlavor, undefined);
    // Nova records the asked disk config with the resize (the server keeps it after a revert too).
    if (diskConfig !== undefined)
      await this.deps.instances.update(i.uuid, {
        system_metadata: withDiskConfig(i.systemMetadata, diskConfig),
      });
  }

  /** `migrate`: the same flavor on another host (`host` at 2.56 names it). */
  async migrate(caller: CallerContext, i: Instance, host: string | undefined): Promise<void> {
    this.checkLock(caller, i);
    this.checkMovable('migrate', i);
    if (host !== undefined) {
      const node = await this.deps.hosts.nodeByHost(host);
      if (!node) throw new InvalidInput(`Compute host ${host} could not be found.`);
      if (node.host === i.host) throw new InvalidInput(`The target host can't be the same one.`);
    }
    await this.start(caller, i, 'migration', i.flavor, host);
  }

  /** `confirmResize`: a VERIFY_RESIZE server keeps the destination (204). */
  async confirm(caller: CallerContext, i: Instance): Promise<void> {
    this.checkLock(caller, i);
    const m = await this.finished('confirmResize', i);
    if (!(await this.deps.migrations.update(m.id, { status: 'confirming' }, ['finished'])))
      throw new InvalidInput('Instance has not been resized.');
    await this.deps.actions.start(i.uuid, 'confirmResize', caller.rpc);
    await this.deps.conductor.cast.confirm_move(caller.rpc, { migration_id: m.id });
  }

  /** `revertResize`: back to the source host and the old flavor (202). */
  async revert(caller: CallerContext, i: Instance): Promise<void> {
    this.checkLock(caller, i);
    const m = await this.finished('revertResize', i);
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.RESIZE_REVERTING },
      { vmState: [VmState.RESIZED], taskState: [null] },
    );
    if (!ok) throw new InstanceInvalidState('revertResize', i.uuid, 'task_state', i.taskState);
    await this.deps.migrations.update(m.id, { status: 'reverting' });
    await this.deps.actions.start(i.uuid, 'revertResize', caller.rpc);
    await this.deps.conductor.cast.revert_move(caller.rpc, { migration_id: m.id });
  }

  private async finished(action: string, i: Instance): Promise<MigrationRecord> {
    if (i.vmState !== VmState.RESIZED) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState(action, i.uuid, 'task_state', i.taskState);
    const m = await this.deps.migrations.latestFor(i.uuid, ['finished']);
    if (!m) throw new InvalidInput('Instance has not been resized.');
    return m;
  }

  private checkLock(caller: CallerContext, i: Instance): void {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
  }

  private checkMovable(action: string, i: Instance): void {
    if (i.vmState !== VmState.ACTIVE && i.vmState !== VmState.STOPPED)
      throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState(action, i.uuid, 'task_state', i.taskState);
  }

  /** A resize up counts the extra cores and RAM against the project's quota (403 over it). */
  private async checkQuota(i: Instance, f: FlavorSnapshot): Promise<void> {
    const dCores = f.vcpus - i.flavor.vcpus;
    const dRam = f.memory_mb - i.flavor.memory_mb;
    if (dCores <= 0 && dRam <= 0) return;
    const limits = await this.deps.quota(i.projectId);
    const used = await this.deps.instances.usage(i.projectId);
    const over: { name: string; want: number; used: number; limit: number }[] = [];
    if (dCores > 0 && limits.cores >= 0 && used.cores + dCores > limits.cores)
      over.push({ name: 'cores', want: dCores, used: used.cores, limit: limits.cores });
    if (dRam > 0 && limits.ram >= 0 && used.ram + dRam > limits.ram)
      over.push({ name: 'ram', want: dRam, used: used.ram, limit: limits.ram });
    if (!over.length) return;
    const names = over.map((o) => o.name).join(', ');
    throw new QuotaExceeded(
      `Quota exceeded for ${names}: Requested ${over.map((o) => o.want).join(', ')}, but already used ${over
        .map((o) => o.used)
        .join(', ')} of ${over.map((o) => o.limit).join(', ')} ${names}`,
    );
  }

  private async start(
    caller: CallerContext,
    i: Instance,
    type: 'resize' | 'migration',
    newFlavor: FlavorSnapshot,
    forceHost: string | undefined,
  ): Promise<void> {
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.RESIZE_PREP },
      { vmState: [VmState.ACTIVE, VmState.STOPPED], taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState(
        type === 'resize' ? 'resize' : 'migrate',
        i.uuid,
        'task_state',
        now?.taskState ?? null,
      );
    }
    const m = await this.deps.migrations.create({
      uuid: randomUUID(),
      instanceUuid: i.uuid,
      migrationType: type,
      status: 'pre-migrating',
      sourceCompute: i.host,
      sourceNode: i.node,
      destCompute: null,
      destNode: null,
      destHost: null,
      oldFlavor: i.flavor,
      newFlavor,
      oldVmState: i.vmState,
      projectId: i.projectId,
      userId: i.userId,
    });
    await this.deps.actions.start(i.uuid, type === 'resize' ? 'resize' : 'migrate', caller.rpc);
    await this.deps.conductor.cast.move_instance(caller.rpc, {
      migration_id: m.id,
      ...(forceHost ? { force_host: forceHost } : {}),
    });
  }
}
