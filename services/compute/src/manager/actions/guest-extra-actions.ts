import type { TypedRpcClient } from '@nimbus/bus';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance, InstanceRepository } from '../../db/instance-repository';
import type { computeRpc } from '../../rpc/compute-rpc';
import { InstanceInvalidState, InstanceIsLocked } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';

/** How many `password_N` system metadata items hold the encrypted password (as upstream). */
const PASSWORD_CHUNKS = 4;

/**
 * The smaller guest actions: changePassword (through the agent, task state
 * `updating_password`), trigger_crash_dump (an NMI), the metadata-posted server password
 * (`os-server-password`), and the states that restore and forceDelete accept.
 */
export class GuestExtraActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      actions: InstanceActionRepository;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
    },
  ) {}

  private async target(action: string, i: Instance): Promise<{ host: string; server: string }> {
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    return { host, server };
  }

  /** `changePassword`: an ACTIVE server without a task; 202, the agent clears the task state. */
  async changePassword(caller: CallerContext, i: Instance, password: string): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    if (i.vmState !== VmState.ACTIVE)
      throw new InstanceInvalidState('changePassword', i.uuid, 'vm_state', i.vmState);
    const { host, server } = await this.target('changePassword', i);
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.UPDATING_PASSWORD },
      { vmState: [VmState.ACTIVE], taskState: [null] },
    );
    if (!ok) throw new InstanceInvalidState('changePassword', i.uuid, 'task_state', i.taskState);
    await this.deps.actions.start(i.uuid, 'changePassword', caller.rpc);
    await this.deps.compute.cast.set_admin_password(
      caller.rpc,
      { host, instance_uuid: i.uuid, password },
      { server },
    );
  }

  /** `trigger_crash_dump` (2.17): an NMI to a running guest. */
  async triggerCrashDump(caller: CallerContext, i: Instance): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    const allowed: string[] = [
      VmState.ACTIVE,
      VmState.PAUSED,
      VmState.RESCUED,
      VmState.RESIZED,
      VmState.ERROR,
    ];
    if (!allowed.includes(i.vmState))
      throw new InstanceInvalidState('trigger_crash_dump', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null)
      throw new InstanceInvalidState('trigger_crash_dump', i.uuid, 'task_state', i.taskState);
    const { host, server } = await this.target('trigger_crash_dump', i);
    await this.deps.actions.start(i.uuid, 'trigger_crash_dump', caller.rpc);
    await this.deps.compute.cast.trigger_crash_dump(caller.rpc, { host, instance_uuid: i.uuid }, { server });
  }

  /**
   * `restore` and `forceDelete` act on a SOFT_DELETED server only; every other state answers
   * 409 as upstream. Deletes here are immediate (no `reclaim_instance_interval` yet), so no
   * server reaches SOFT_DELETED.
   */
  checkSoftDeleted(action: 'restore' | 'forceDelete', i: Instance): void {
    if (i.vmState !== VmState.SOFT_DELETED)
      throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
  }

  /** The encrypted password the guest posted to the metadata API ('' when none). */
  password(i: Instance): string {
    let out = '';
    for (let n = 0; n < PASSWORD_CHUNKS; n++) out += i.systemMetadata[`password_${n}`] ?? '';
    return out;
  }

  /** Clears the posted password (`DELETE os-server-password`). */
  async clearPassword(i: Instance): Promise<void> {
    const sys = { ...i.systemMetadata };
    for (let n = 0; n < PASSWORD_CHUNKS; n++) sys[`password_${n}`] = '';
    await this.deps.instances.update(i.uuid, { system_metadata: sys });
  }
}
