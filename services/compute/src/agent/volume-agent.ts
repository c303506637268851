import { setTimeout as sleep } from 'node:timers/promises';
import type { RpcArgs, RpcContext, TypedRpcClient } from '@nimbus/bus';
import type { ServiceClients, VolumeDocument } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import { type ComputeDriver, DriverError, type VolumeConnection } from '../drivers/driver-api';
import { imageSizeGb } from '../manager/actions/block-device-setup';
import { volumeClientFor } from '../manager/actions/volume-client';
import type { computeRpc } from '../rpc/compute-rpc';
import type { conductorRpc } from '../rpc/conductor-rpc';

type M = (typeof computeRpc)['methods'];
type BuildSpec = RpcArgs<M['build_and_run_instance']>;

/** A volume connected for a build, to complete once the guest runs. */
export interface BuildVolume extends VolumeConnection {
  attachmentId: string;
}

/**
 * The volume side of a compute agent (nova-compute's attach/detach/swap/extend and the volumes of
 * a build): block storage's attachment flow (a reserved attachment gets this host's connector and
 * answers the connection info; the driver plugs the volume; the attachment is completed) and its
 * reverse. Runs inside the agent's per-instance queue and never touches the database: what a
 * build makes goes to the conductor.
 */
export class VolumeAgent {
  constructor(
    private readonly deps: {
      driver: ComputeDriver;
      /** The compute service user's clients (an admin, as Nova's `[cinder]` credentials). */
      clients: () => ServiceClients;
      conductor: TypedRpcClient<(typeof conductorRpc)['methods']>;
      logger: Logger;
      /** How long a build waits for a volume it made to become available. */
      volumeWaitSeconds: number;
    },
  ) {}

  private cinder(projectId: string, ctx?: RpcContext) {
    const clients = ctx?.authToken ? this.deps.clients().actingFor(ctx.authToken) : this.deps.clients();
    return volumeClientFor(clients, projectId);
  }

  /** The host's connector with the guest device, which block storage records as the mountpoint. */
  private connector(host: string, device: string): Record<string, unknown> {
    return { ...this.deps.driver.volumeConnector(host), ...(device ? { mountpoint: device } : {}) };
  }

  /** Connects, plugs and completes; on a failure the attachment stays reserved for the API to drop. */
  async attach(ctx: RpcContext, args: RpcArgs<M['attach_volume']>): Promise<void> {
    const { host, instance_uuid: instanceId } = args;
    if (this.deps.driver.powerState(host, instanceId) === undefined)
      throw new DriverError(`Instance ${instanceId} has no guest on host ${host}`, false);
    const cinder = this.cinder(ctx.projectId ?? '');
    const connected = await cinder.updateAttachment(args.attachment_id, this.connector(host, args.device));
    await this.deps.driver.attachVolume(host, instanceId, {
      volumeId: args.volume_id,
      device: args.device,
      connectionInfo: connected.connection_info ?? {},
    });
    try {
      await cinder.completeAttachment(args.attachment_id);
    } catch (err) {
      await this.deps.driver.detachVolume(host, instanceId, args.volume_id).catch(() => undefined);
      throw err;
    }
  }

  /** Unplugs the volume (a guest already gone is fine) and deletes the attachment. */
  async detach(ctx: RpcContext, args: RpcArgs<M['detach_volume']>): Promise<void> {
    await this.deps.driver.detachVolume(args.host, args.instance_uuid, args.volume_id);
    await this.cinder(ctx.projectId ?? '').deleteAttachment(args.attachment_id);
  }

  /** Connects the new volume, lets the driver move the guest over, completes it and drops the old attachment. */
  async swap(ctx: RpcContext, args: RpcArgs<M['swap_volume']>): Promise<void> {
    const cinder = this.cinder(ctx.projectId ?? '');
    const connected = await cinder.updateAttachment(
      args.new_attachment_id,
      this.connector(args.host, args.device),
    );
    await this.deps.driver.swapVolume(args.host, args.instance_uuid, args.old_volume_id, {
      volumeId: args.new_volume_id,
      device: args.device,
      connectionInfo: connected.connection_info ?? {},
    });
    await cinder.completeAttachment(args.new_attachment_id);
    await cinder.deleteAttachment(args.old_attachment_id);
  }

  /** Reads the volume's new size from block storage and tells the guest. */
  async extend(ctx: RpcContext, args: RpcArgs<M['extend_volume']>): Promise<void> {
    try {
      const volume = await this.cinder(ctx.projectId ?? '').getVolume(args.volume_id);
      await this.deps.driver.extendVolume(args.host, args.instance_uuid, args.volume_id, volume.size);
    } catch (err) {
      this.deps.logger.warn(
        { err, instance: args.instance_uuid, volume: args.volume_id },
        'compute: could not extend a volume',
      );
    }
  }

  /**
   * Before a spawn: makes the volumes the mappings ask for (from an image, a snapshot or blank,
   * as the caller), waits for them, and connects every volume to this host. Each volume and
   * attachment made is recorded through the conductor at once, so a failed build leaves nothing
   * the server's deletion cannot find. A volume that ends in `error` fails the build for good.
   */
  async prepareBuild(ctx: RpcContext, spec: BuildSpec): Promise<BuildVolume[]> {
    const cinder = this.cinder(spec.project_id, ctx);
    const out: BuildVolume[] = [];
    for (const bd of spec.block_devices ?? []) {
      if (bd.destination_type !== 'volume') continue;
      let volumeId = bd.volume_id;
      if (!volumeId) {
        const size = bd.volume_size ?? (await this.sourceSize(spec, bd));
        const made = await cinder.createVolume({
          size,
          name: '',
          description: '',
          ...(bd.image_id && bd.source_type === 'image' ? { imageRef: bd.image_id } : {}),
          ...(bd.snapshot_id && bd.source_type === 'snapshot' ? { snapshotId: bd.snapshot_id } : {}),
          ...(bd.volume_type ? { volumeType: bd.volume_type } : {}),
        });
        volumeId = made.id;
        await this.deps.conductor.call.block_device_update(ctx, {
          bdm_uuid: bd.bdm_uuid,
          volume_id: volumeId,
        });
        await this.waitAvailable(() => cinder.getVolume(made.id), made.id);
      }
      let attachment: { id: string; connection_info?: Record<string, unknown> | null };
      const connector = this.connector(spec.host, bd.device_name ?? '');
      if (bd.attachment_id) attachment = await cinder.updateAttachment(bd.attachment_id, connector);
      else {
        attachment = await cinder.createAttachment({ volumeId, instanceId: spec.instance_uuid, connector });
        await this.deps.conductor.call.block_device_update(ctx, {
          bdm_uuid: bd.bdm_uuid,
          attachment_id: attachment.id,
        });
      }
      out.push({
        volumeId,
        device: bd.device_name ?? '',
        connectionInfo: attachment.connection_info ?? {},
        attachmentId: attachment.id,
      });
    }
    return out;
  }

  /** After the spawn: every connected volume's attachment completed (the volumes go `in-use`). */
  async completeBuild(ctx: RpcContext, spec: BuildSpec, volumes: readonly BuildVolume[]): Promise<void> {
    const cinder = this.cinder(spec.project_id, ctx);
    for (const v of volumes) await cinder.completeAttachment(v.attachmentId);
  }

  private async sourceSize(
    spec: BuildSpec,
    bd: NonNullable<BuildSpec['block_devices']>[number],
  ): Promise<number> {
    if (bd.source_type === 'snapshot' && bd.snapshot_id)
      return (await this.cinder(spec.project_id).getSnapshot(bd.snapshot_id)).size;
    if (bd.source_type === 'image' && bd.image_id)
      return imageSizeGb(await this.deps.clients().image.getImage(bd.image_id));
    return 1;
  }

  private async waitAvailable(get: () => Promise<VolumeDocument>, id: string): Promise<void> {
    const deadline = Date.now() + this.deps.volumeWaitSeconds * 1000;
    let delayMs = 50;
    for (;;) {
      const v = await get();
      if (v.status === 'available') return;
      if (v.status === 'error' || Date.now() > deadline)
        throw new DriverError(
          `Volume ${id} did not finish being created even after we waited ${this.deps.volumeWaitSeconds} seconds or ${Math.ceil(this.deps.volumeWaitSeconds / 3)} attempts. And its status is ${v.status}.`,
          false,
        );
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 1000);
    }
  }
}
