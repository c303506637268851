import type { TypedRpcClient } from '@nimbus/bus';
import { NotFoundError } from '@nimbus/errors';
import type {
  BlockDeviceMapping,
  BlockDeviceMappingRepository,
} from '../../db/block-device-mapping-repository';
import type { InstanceActionRepository } from '../../db/instance-action-repository';
import type { Instance } from '../../db/instance-repository';
import type { computeRpc } from '../../rpc/compute-rpc';
import { InstanceInvalidState, InstanceIsLocked, InvalidInput } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { VmState } from '../vm-states';
import { fromCinder, VolumeNotFound, volumeClientFor } from './volume-client';

/** The vm_states Nova attaches and detaches volumes in (task_state must be None). */
const ATTACH_STATES: readonly string[] = [
  VmState.ACTIVE,
  VmState.PAUSED,
  VmState.STOPPED,
  VmState.RESIZED,
  VmState.SOFT_DELETED,
  VmState.SHELVED,
  VmState.SHELVED_OFFLOADED,
];
/** The vm_states Nova swaps volumes in. */
const SWAP_STATES: readonly string[] = [VmState.ACTIVE, VmState.PAUSED, VmState.RESIZED];

/** Nova's `block_device.match_device`: a device path it can take a name from. */
const DEVICE_PATH = /^(\/dev\/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$/;

/** A volume attachment request after schema validation. */
export interface AttachVolumeInput {
  volumeId: string;
  device?: string | null;
  tag?: string;
  deleteOnTermination?: boolean;
  /** Whether the request's microversion allows multiattach volumes (2.60). */
  multiattachAllowed: boolean;
}

/** A swapped or (2.85) updated attachment. */
export interface UpdateAttachmentInput {
  volumeId: string;
  deleteOnTermination?: boolean;
}

/** A requested device that is not one (400, upstream's message). */
export class InvalidDevicePath extends InvalidInput {
  constructor(path: string) {
    super(`The supplied device path (${path}) is invalid.`);
  }
}

/**
 * Volume attachments of servers (`os-volume_attachments`), as Nova's compute API runs them over
 * Cinder's attachments API: the API reserves an attachment as the caller and records the
 * mapping; the server's agent connects it with its host's connector, plugs the volume and
 * completes it (an RPC call: a failure drops the reservation and the mapping). Detach and swap
 * go the same way back. Instance actions `attach_volume`, `detach_volume`, `swap_volume`.
 */
export class VolumeAttachActions {
  constructor(
    private readonly deps: {
      bdms: BlockDeviceMappingRepository;
      actions: InstanceActionRepository;
      compute: TypedRpcClient<(typeof computeRpc)['methods']>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
    },
  ) {}

  /** The server's attached volumes (mappings with a volume), boot volume first. */
  async list(i: Instance): Promise<BlockDeviceMapping[]> {
    return (await this.deps.bdms.forInstance(i.uuid)).filter(
      (m) => m.destinationType === 'volume' && m.volumeId,
    );
  }

  /** One attached volume, or 404 as Nova words it. */
  async get(i: Instance, volumeId: string): Promise<BlockDeviceMapping> {
    const m = await this.deps.bdms.byVolume(i.uuid, volumeId);
    if (m?.destinationType !== 'volume')
      throw new NotFoundError(`Instance ${i.uuid} is not attached to volume ${volumeId}.`, {
        code: 'COMPUTE_VOLUME_BDM_NOT_FOUND',
      });
    return m;
  }

  /** Attaches a volume: reserve, record, plug on the host (or only complete for an offloaded server). */
  async attach(caller: CallerContext, i: Instance, input: AttachVolumeInput): Promise<BlockDeviceMapping> {
    this.checkState(caller, i, 'attach_volume', ATTACH_STATES);
    if (input.device && !DEVICE_PATH.test(input.device)) throw new InvalidDevicePath(input.device);
    const offloaded = i.vmState === VmState.SHELVED_OFFLOADED;
    if (offloaded && input.tag)
      throw new InvalidInput('Tagged volume attachment is not supported for shelved-offloaded instances.');
    const cinder = volumeClientFor(caller.clients, caller.projectId);
    const volume = await fromCinder(
      cinder.getVolume(input.volumeId),
      () => new VolumeNotFound(input.volumeId),
    );
    if (await this.deps.bdms.byVolume(i.uuid, input.volumeId))
      throw new InvalidInput(`Invalid volume: volume ${input.volumeId} already attached`);
    if (volume.multiattach && !input.multiattachAllowed)
      throw new InvalidInput(
        'Multiattach volumes are only supported starting with compute API version 2.60.',
      );
    const existing = await this.deps.bdms.forInstance(i.uuid);
    // A shelved-offloaded server gets its device name now too; its guest plugs it on unshelve.
    const device = this.nextDevice(existing, input.device ?? undefined);
    const attachment = await fromCinder(
      cinder.createAttachment({ volumeId: input.volumeId, instanceId: i.uuid }),
      () => new VolumeNotFound(input.volumeId),
    );
    const bdm = await this.deps.bdms.create({
      instanceUuid: i.uuid,
      sourceType: 'volume',
      destinationType: 'volume',
      volumeId: input.volumeId,
      deviceName: device,
      attachmentId: attachment.id,
      deleteOnTermination: input.deleteOnTermination ?? false,
      ...(input.tag ? { tag: input.tag } : {}),
    });
    try {
      if (offloaded) await cinder.completeAttachment(attachment.id);
      else {
        const { host, server } = await this.target('attach_volume', i);
        await this.deps.compute.call.attach_volume(
          caller.rpc,
          {
            host,
            instance_uuid: i.uuid,
            volume_id: input.volumeId,
            attachment_id: attachment.id,
            device,
          },
          { server },
        );
      }
    } catch (err) {
      await this.deps.bdms.delete(bdm.uuid);
      await cinder.deleteAttachment(attachment.id).catch(() => undefined);
      throw err;
    }
    await this.deps.actions.start(i.uuid, 'attach_volume', caller.rpc);
    return bdm;
  }

  /** Detaches a volume (never the root one): unplug and drop the attachment, then the mapping. */
  async detach(caller: CallerContext, i: Instance, volumeId: string): Promise<void> {
    this.checkState(caller, i, 'detach_volume', ATTACH_STATES);
    const cinder = volumeClientFor(caller.clients, caller.projectId);
    await fromCinder(cinder.getVolume(volumeId), () => new VolumeNotFound(volumeId));
    const bdm = await this.get(i, volumeId);
    if (bdm.bootIndex === 0) throw new InvalidInput('Cannot detach a root device volume');
    await this.deps.actions.start(i.uuid, 'detach_volume', caller.rpc);
    await this.release(caller, i, bdm);
    await this.deps.bdms.delete(bdm.uuid);
  }

  /**
   * Unplugs a mapped volume from the server's guest (when it has one) and deletes its
   * attachment; the mapping stays for the caller to drop.
   */
  async release(caller: CallerContext, i: Instance, bdm: BlockDeviceMapping): Promise<void> {
    if (!bdm.volumeId || !bdm.attachmentId) return;
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (host && server && i.vmState !== VmState.SHELVED_OFFLOADED) {
      await this.deps.compute.call.detach_volume(
        caller.rpc,
        { host, instance_uuid: i.uuid, volume_id: bdm.volumeId, attachment_id: bdm.attachmentId },
        { server },
      );
    } else {
      await volumeClientFor(caller.clients, caller.projectId)
        .deleteAttachment(bdm.attachmentId)
        .catch(() => undefined);
    }
  }

  /**
   * `PUT …/os-volume_attachments/{volume}`: another `volumeId` swaps (admin; the old volume's
   * place and flags carry over), the same one with 2.85's `delete_on_termination` updates it.
   */
  async update(
    caller: CallerContext,
    i: Instance,
    oldVolumeId: string,
    input: UpdateAttachmentInput,
  ): Promise<'swapped' | 'updated'> {
    const bdm = await this.get(i, oldVolumeId);
    if (input.volumeId === oldVolumeId) {
      if (input.deleteOnTermination !== undefined)
        await this.deps.bdms.update(bdm.uuid, { deleteOnTermination: input.deleteOnTermination });
      return 'updated';
    }
    this.checkState(caller, i, 'swap_volume', SWAP_STATES);
    const cinder = volumeClientFor(caller.clients, caller.projectId);
    const old = await fromCinder(cinder.getVolume(oldVolumeId), () => new VolumeNotFound(oldVolumeId));
    if (old.multiattach && (old.attachments?.length ?? 0) > 1)
      throw new InvalidInput(
        'Swapping multi-attach volumes with more than one read/write attachment is not supported.',
      );
    // The volume to swap to is part of the request body: its absence is the request's fault (400).
    const next = await fromCinder(
      cinder.getVolume(input.volumeId),
      () => new InvalidInput(`Volume ${input.volumeId} could not be found.`),
    );
    if (next.status !== 'available' && !next.multiattach)
      throw new InvalidInput(`Invalid volume: volume ${input.volumeId} status must be 'available'`);
    const attachment = await fromCinder(
      cinder.createAttachment({ volumeId: input.volumeId, instanceId: i.uuid }),
      () => new VolumeNotFound(input.volumeId),
    );
    await this.deps.actions.start(i.uuid, 'swap_volume', caller.rpc);
    try {
      const { host, server } = await this.target('swap_volume', i);
      await this.deps.compute.call.swap_volume(
        caller.rpc,
        {
          host,
          instance_uuid: i.uuid,
          old_volume_id: oldVolumeId,
          old_attachment_id: bdm.attachmentId ?? '',
          new_volume_id: input.volumeId,
          new_attachment_id: attachment.id,
          device: bdm.deviceName ?? '',
        },
        { server },
      );
    } catch (err) {
      await cinder.deleteAttachment(attachment.id).catch(() => undefined);
      throw err;
    }
    await this.deps.bdms.update(bdm.uuid, {
      volumeId: input.volumeId,
      attachmentId: attachment.id,
      ...(input.deleteOnTermination !== undefined ? { deleteOnTermination: input.deleteOnTermination } : {}),
    });
    return 'swapped';
  }

  /**
   * Block storage's `volume-extended` event: the server's agent tells the guest the volume grew
   * (a cast; a volume the server does not have is ignored, as nova-compute logs and moves on).
   */
  async volumeExtended(rpc: CallerContext['rpc'], i: Instance, volumeId: string): Promise<void> {
    const bdm = await this.deps.bdms.byVolume(i.uuid, volumeId);
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!bdm || !host || !server) return;
    // As Nova's API does on the event: an `extend_volume` action the user can see.
    await this.deps.actions.start(i.uuid, 'extend_volume', rpc);
    await this.deps.compute.cast.extend_volume(
      rpc,
      { host, instance_uuid: i.uuid, volume_id: volumeId },
      { server },
    );
  }

  private checkState(caller: CallerContext, i: Instance, action: string, states: readonly string[]): void {
    if (i.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(i.uuid);
    if (!states.includes(i.vmState)) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    if (i.taskState !== null) throw new InstanceInvalidState(action, i.uuid, 'task_state', i.taskState);
  }

  private async target(action: string, i: Instance): Promise<{ host: string; server: string }> {
    const host = i.node ?? i.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) throw new InstanceInvalidState(action, i.uuid, 'vm_state', i.vmState);
    return { host, server };
  }

  /**
   * The device the volume gets: the requested one when free, else the next `vd?` after the root
   * disk (`/dev/vda`) and the mapped ones, as the libvirt driver picks them.
   */
  private nextDevice(existing: readonly BlockDeviceMapping[], requested: string | undefined): string {
    const used = new Set(existing.map((m) => m.deviceName).filter((d): d is string => !!d));
    used.add('/dev/vda');
    if (requested && !used.has(requested)) return requested;
    for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
      const d = `/dev/vd${String.fromCharCode(c)}`;
      if (!used.has(d)) return d;
    }
    throw new InvalidInput('No free disk device names for prefix vd');
  }
}
