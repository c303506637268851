import type { TypedRpcClient } from '@nimbus/bus';
import { RemoteServiceError } from '@nimbus/clients';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance, InstanceChanges, InstanceRepository } from '../../db/instance-repository';
import type { KeypairRepository } from '../../db/keypair-repository';
import type { computeRpc } from '../../rpc/compute-rpc';
import { InstanceInvalidState, InstanceIsLocked, InvalidInput } from '../compute-errors';
import { type DiskConfig, withDiskConfig } from '../disk-config';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';

/** A rebuild request after schema validation (`undefined`: leave as is; null key/user data: clear). */
export interface RebuildInput {
  imageRef: string;
  name?: string;
  metadata?: Record<string, string>;
  accessIpV4?: string;
  accessIpV6?: string;
  description?: string | null;
  keyName?: string | null;
  userData?: string | null;
  hostname?: string;
  preserveEphemeral: boolean;
  diskConfig?: DiskConfig;
}

/**
 * The API side of `rebuild`: checks the lock, the state (ACTIVE, SHUTOFF or ERROR, no task) and
 * the image, writes the new image, name, metadata, key and user data at once (the response shows
 * them), moves the task state to `rebuilding` under a compare-and-set and casts the rebuild to
 * the server's agent, which ends ACTIVE (SHUTOFF for a stopped server).
 */
export class RebuildActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      keypairs: KeypairRepository;
      actions: InstanceActionRepository;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
    },
  ) {}

  async rebuild(caller: CallerContext, i: Instance, input: RebuildInput): Promise<Instance> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    const allowed: string[] = [VmState.ACTIVE, VmState.STOPPED, VmState.ERROR];
    if (!allowed.includes(i.vmState))
      throw new InstanceInvalidState('rebuild', i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState('rebuild', i.uuid, 'task_state', i.taskState);
    await this.checkImage(caller, input.imageRef, i);
    const changes: InstanceChanges = { image_ref: input.imageRef, task_state: TaskState.REBUILDING };
    if (input.name !== undefined) changes.display_name = input.name;
    if (input.metadata !== undefined) changes.metadata = input.metadata;
    if (input.accessIpV4 !== undefined) changes.access_ip_v4 = input.accessIpV4;
    if (input.accessIpV6 !== undefined) changes.access_ip_v6 = input.accessIpV6;
    if (input.description !== undefined) changes.display_description = input.description;
    if (input.hostname !== undefined) changes.hostname = input.hostname;
    if (input.userData !== undefined) changes.user_data = input.userData;
    if (input.diskConfig !== undefined)
      changes.system_metadata = withDiskConfig(i.systemMetadata, input.diskConfig);
    if (input.keyName !== undefined) {
      if (input.keyName === null) {
        changes.key_name = null;
        changes.key_data = null;
      } else {
        const key = await this.deps.keypairs.get(caller.userId, input.keyName);
        if (!key) throw new InvalidInput('Invalid key_name provided.');
        changes.key_name = key.name;
        changes.key_data = key.publicKey;
      }
    }
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) throw new InstanceInvalidState('rebuild', i.uuid, 'vm_state', i.vmState);
    const ok = await this.deps.instances.update(i.uuid, changes, { vmState: allowed, taskState: [null] });
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState('rebuild', i.uuid, 'task_state', now?.taskState ?? null);
    }
    await this.deps.actions.start(i.uuid, 'rebuild', caller.rpc);
    const now = (await this.deps.instances.get(i.uuid))!;
    await this.deps.compute.cast.rebuild_instance(
      caller.rpc,
      {
        host,
        instance_uuid: i.uuid,
        name: now.name,
        image_ref: input.imageRef,
        flavor: now.flavor,
        vifs: now.networkInfo,
        power_on: i.vmState !== VmState.STOPPED,
        preserve_ephemeral: input.preserveEphemeral,
        ...(now.userData ? { user_data: now.userData } : {}),
      },
      { server },
    );
    return now;
  }

  private async checkImage(caller: CallerContext, imageRef: string, i: Instance): Promise<void> {
    let image: Awaited<ReturnType<CallerContext['clients']['image']['getImage']>>;
    try {
      image = await caller.clients.image.getImage(imageRef);
    } catch (err) {
      if (err instanceof RemoteServiceError && err.httpStatus === 404)
        throw new InvalidInput(`Image ${imageRef} could not be found.`);
      throw err;
    }
    if (image.status !== 'active') throw new InvalidInput(`Image ${imageRef} is not active.`);
    const diskGb = i.flavor.root_gb;
    const minDisk = Number(image.min_disk ?? 0);
    if (diskGb > 0 && minDisk > diskGb)
      throw new InvalidInput(
        `Flavor's disk is too small for requested image. Flavor disk is ${diskGb * 1024 ** 3} bytes, minimum size is ${minDisk * 1024 ** 3} bytes.`,
      );
    if (Number(image.min_ram ?? 0) > i.flavor.memory_mb)
      throw new InvalidInput("Flavor's memory is too small for requested image.");
  }
}
