import type { TypedRpcClient } from '@nimbus/bus';
import { RemoteServiceError } from '@nimbus/clients';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance, InstanceRepository } from '../../db/instance-repository';
import type { computeRpc } from '../../rpc/compute-rpc';
import { InstanceInvalidState, InstanceIsLocked, InvalidInput } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';

/** The vm_states Nova rescues from (a stopped guest boots into the rescue system). */
const RESCUABLE: string[] = [VmState.ACTIVE, VmState.STOPPED, VmState.ERROR];

/**
 * The API side of `rescue` and `unrescue`: checks the lock and the state, moves the task state
 * (`rescuing` / `unrescuing`) under a compare-and-set, records the instance action and casts to
 * the server's agent, which ends RESCUE (or ACTIVE) and reports through the conductor.
 */
export class RescueActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      actions: InstanceActionRepository;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
    },
  ) {}

  /**
   * `rescue`: boots the server from `rescueImageRef` (default: its own image); 400 for an image
   * that does not exist, 409 in another state or locked.
   */
  async rescue(
    caller: CallerContext,
    i: Instance,
    opts: { rescueImageRef?: string; adminPassword: string },
  ): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    if (!RESCUABLE.includes(i.vmState))
      throw new InstanceInvalidState('rescue', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState('rescue', i.uuid, 'task_state', i.taskState);
    const image = opts.rescueImageRef ?? i.imageRef;
    if (opts.rescueImageRef !== undefined) await this.checkImage(caller, opts.rescueImageRef);
    const { host, server } = await this.target('rescue', i);
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.RESCUING },
      { vmState: RESCUABLE, taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState('rescue', i.uuid, 'task_state', now?.taskState ?? null);
    }
    await this.deps.actions.start(i.uuid, 'rescue', caller.rpc);
    await this.deps.compute.cast.rescue_instance(
      caller.rpc,
      { host, instance_uuid: i.uuid, rescue_image_ref: image, admin_password: opts.adminPassword },
      { server },
    );
  }

  /** `unrescue`: a RESCUE server boots from its own disk again (202). */
  async unrescue(caller: CallerContext, i: Instance): Promise<void> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    if (i.vmState !== VmState.RESCUED)
      throw new InstanceInvalidState('unrescue', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState('unrescue', i.uuid, 'task_state', i.taskState);
    const { host, server } = await this.target('unrescue', i);
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: TaskState.UNRESCUING },
      { vmState: [VmState.RESCUED], taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState('unrescue', i.uuid, 'task_state', now?.taskState ?? null);
    }
    await this.deps.actions.start(i.uuid, 'unrescue', caller.rpc);
    await this.deps.compute.cast.unrescue_instance(caller.rpc, { host, instance_uuid: i.uuid }, { server });
  }

  private async target(action: string, i: Instance): Promise<{ host: string; server: string }> {
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    return { host, server };
  }

  private async checkImage(caller: CallerContext, ref: string): Promise<void> {
    try {
      const image = await caller.clients.image.getImage(ref);
      if (image.status !== 'active') throw new InvalidInput(`Image ${ref} is not active.`);
    } catch (err) {
      if (err instanceof RemoteServiceError && err.httpStatus === 404)
        throw new InvalidInput(`Image ${ref} could not be found.`);
      throw err;
    }
  }
}
