import type { TypedRpcClient } from '@nimbus/bus';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance, InstanceRepository } from '../../db/instance-repository';
import type { computeRpc } from '../../rpc/compute-rpc';
import { InstanceInvalidState, InstanceIsLocked, QuotaExceeded } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { TaskState, VmState } from '../vm-states';
import { createSnapshotImage, dropSnapshotImage } from './snapshot-image';

/** The vm_states Nova snapshots from. */
const SNAPSHOTTABLE: string[] = [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED];

/**
 * The API side of `createImage` and `createBackup`: checks the lock, the state and the metadata
 * quota, moves the task state (`image_snapshot` / `image_backup`) under a compare-and-set (a
 * second snapshot while one is saving gets 409), makes the queued image record through the image
 * API and casts the upload to the server's agent, which clears the task state when done (and, for
 * a backup, deletes the oldest backups beyond `rotation`).
 */
export class SnapshotActions {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      actions: InstanceActionRepository;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
      metadataItemsLimit: (projectId: string) => Promise<number>;
    },
  ) {}

  /** `createImage`: answers the new image's id. */
  createImage(
    caller: CallerContext,
    i: Instance,
    name: string,
    metadata: Record<string, string>,
  ): Promise<string> {
    return this.snapshot(caller, i, 'createImage', name, metadata, undefined);
  }

  /** `createBackup`: answers the new image's id. */
  createBackup(
    caller: CallerContext,
    i: Instance,
    input: { name: string; backupType: string; rotation: number; metadata: Record<string, string> },
  ): Promise<string> {
    return this.snapshot(caller, i, 'createBackup', input.name, input.metadata, {
      backupType: input.backupType,
      rotation: input.rotation,
    });
  }

  private async snapshot(
    caller: CallerContext,
    i: Instance,
    action: 'createImage' | 'createBackup',
    name: string,
    metadata: Record<string, string>,
    backup: { backupType: string; rotation: number } | undefined,
  ): Promise<string> {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    const limit = await this.deps.metadataItemsLimit(i.projectId);
    if (limit >= 0 && Object.keys(metadata).length > limit)
      throw new QuotaExceeded(
        `Quota exceeded for metadata_items: Requested ${Object.keys(metadata).length}, but already used 0 of ${limit} metadata_items`,
      );
    if (!SNAPSHOTTABLE.includes(i.vmState))
      throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState(action, i.uuid, 'task_state', i.taskState);
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    const task = backup ? TaskState.IMAGE_BACKUP : TaskState.IMAGE_SNAPSHOT;
    const ok = await this.deps.instances.update(
      i.uuid,
      { task_state: task },
      { vmState: SNAPSHOTTABLE, taskState: [null] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(i.uuid);
      throw new InstanceInvalidState(action, i.uuid, 'task_state', now?.taskState ?? null);
    }
    let imageId: string;
    try {
      imageId = await createSnapshotImage(caller, i, name, {
        imageType: backup ? 'backup' : 'snapshot',
        ...(backup ? { backupType: backup.backupType } : {}),
        extra: metadata,
      });
    } catch (err) {
      await this.deps.instances.update(i.uuid, { task_state: null }, { taskState: [task] });
      throw err;
    }
    try {
      await this.deps.actions.start(i.uuid, backup ? 'createBackup' : 'createImage', caller.rpc);
      await this.deps.compute.cast.snapshot_instance(
        caller.rpc,
        {
          host,
          instance_uuid: i.uuid,
          image_id: imageId,
          purpose: backup ? 'backup' : 'snapshot',
          ...(backup ? { rotation: backup.rotation, backup_type: backup.backupType } : {}),
        },
        { server },
      );
    } catch (err) {
      await dropSnapshotImage(caller, imageId);
      await this.deps.instances.update(i.uuid, { task_state: null }, { taskState: [task] });
      throw err;
    }
    return imageId;
  }
}
