import { RemoteServiceError } from '@nimbus/clients';
import type { BlockDeviceMappingRepository } from '../../db/block-device-mapping-repository';
import {
  type BlockDeviceRequest,
  checkBlockDeviceMappings,
  InvalidBlockDeviceMapping,
} from '../block-device-requests';
import { InvalidInput } from '../compute-errors';
import type { CallerContext } from '../server-manager';
import { volumeClientFor } from './volume-client';

const GB = 1024 ** 3;

/**
 * The API side of a create's block device mappings, as Nova's compute API: checks them against
 * the flavor, block storage and the image service; records them for each new server with guest
 * device names; reserves an attachment of each existing volume as the caller (the agent connects
 * it, and makes the volumes from images, snapshots or nothing before the spawn).
 */
export class BlockDeviceSetup {
  constructor(private readonly deps: { bdms: BlockDeviceMappingRepository }) {}

  /** Nova's checks of the whole set; 400 "Block Device Mapping is Invalid: …" and kin. */
  async validate(
    caller: CallerContext,
    requests: readonly BlockDeviceRequest[],
    imageRef: string,
    flavor: { ephemeralGb: number; swapMb: number },
    maxCount: number,
  ): Promise<void> {
    checkBlockDeviceMappings(requests, imageRef, flavor);
    const cinder = volumeClientFor(caller.clients, caller.projectId);
    for (const r of requests) {
      if (r.destinationType !== 'volume') continue;
      if (r.sourceType === 'volume') {
        if (maxCount > 1)
          throw new InvalidInput(
            'Block Device Mapping is Invalid: Unable to launch multiple instances with a single configured volume.',
          );
        const v = await lookup(() => cinder.getVolume(r.uuid!), `failed to get volume ${r.uuid}.`);
        if (r.bootIndex === 0 && String(v.bootable) === 'false')
          throw new InvalidInput(`Block Device ${r.uuid} is not bootable.`);
        if (v.status !== 'available' && !(v.multiattach && v.status === 'in-use'))
          throw new InvalidInput(
            `Invalid volume: volume '${r.uuid}' status must be 'available'. Currently in '${v.status}'`,
          );
      } else if (r.sourceType === 'snapshot') {
        const s = await lookup(() => cinder.getSnapshot(r.uuid!), `failed to get snapshot ${r.uuid}.`);
        if (s.status !== 'available')
          throw new InvalidInput(`Invalid snapshot: snapshot ${r.uuid} status must be 'available'`);
        if (r.volumeSizeGb !== null && r.volumeSizeGb < s.size)
          throw new InvalidBlockDeviceMapping(
            `Volume size ${r.volumeSizeGb} is smaller than the snapshot's ${s.size} GB.`,
          );
      } else if (r.sourceType === 'image') {
        const image = await lookup(
          () => caller.clients.image.getImage(r.uuid!),
          `failed to get image ${r.uuid}.`,
        );
        if (image.status !== 'active') throw new InvalidInput(`Image ${r.uuid} is not active.`);
        const minDisk = Number(image.min_disk ?? 0);
        const size = r.volumeSizeGb ?? imageSizeGb(image);
        if (size * GB < minDisk * GB || size * GB < Number(image.size ?? 0))
          throw new InvalidInput(
            `Volume is smaller than the minimum size specified in image metadata. Volume size is ${size * GB} bytes, minimum size is ${Math.max(minDisk * GB, Number(image.size ?? 0))} bytes.`,
          );
      }
    }
  }

  /** Records the mappings of each new server and reserves the attachments of existing volumes. */
  async record(
    caller: CallerContext,
    instanceUuids: readonly string[],
    requests: readonly BlockDeviceRequest[],
    imageRef: string,
  ): Promise<void> {
    const cinder = volumeClientFor(caller.clients, caller.projectId);
    for (const instanceUuid of instanceUuids) {
      const used = new Set<string>(imageRef ? ['/dev/vda'] : []);
      const named = requests.map((r) => {
        if (r.bootIndex === 0 && !(r.sourceType === 'image' && r.destinationType === 'local'))
          return '/dev/vda';
        return r.deviceName && !used.has(r.deviceName) ? r.deviceName : null;
      });
      for (const n of named) if (n) used.add(n);
      for (const [k, r] of requests.entries()) {
        if (r.sourceType === 'image' && r.destinationType === 'local') continue;
        let device = named[k] ?? null;
        if (!device) {
          device = nextDevice(used);
          used.add(device);
        }
        let attachmentId: string | null = null;
        if (r.sourceType === 'volume') {
          attachmentId = (await cinder.createAttachment({ volumeId: r.uuid!, instanceId: instanceUuid })).id;
        }
        await this.deps.bdms.create({
          instanceUuid,
          sourceType: r.sourceType,
          destinationType: r.destinationType,
          volumeId: r.sourceType === 'volume' ? r.uuid : null,
          snapshotId: r.sourceType === 'snapshot' ? r.uuid : null,
          imageId: r.sourceType === 'image' ? r.uuid : null,
          volumeSizeGb: r.volumeSizeGb,
          deviceName: device,
          bootIndex: r.bootIndex,
          guestFormat: r.guestFormat,
          diskBus: r.diskBus,
          deviceType: r.deviceType,
          volumeType: r.volumeType,
          tag: r.tag,
          attachmentId,
          deleteOnTermination: r.deleteOnTermination,
        });
      }
    }
  }
}

/** The GB a volume made from an image needs (at least its min_disk and its data, at least 1). */
export function imageSizeGb(image: { size?: number | null; min_disk?: unknown }): number {
  return Math.max(1, Number(image.min_disk ?? 0), Math.ceil(Number(image.size ?? 0) / GB));
}

function nextDevice(used: ReadonlySet<string>): string {
  for (let c = 'a'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const d = `/dev/vd${String.fromCharCode(c)}`;
    if (!used.has(d)) return d;
  }
  throw new InvalidInput('No free disk device names for prefix vd');
}

async function lookup<T>(get: () => Promise<T>, details: string): Promise<T> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof RemoteServiceError && err.httpStatus === 404)
      throw new InvalidBlockDeviceMapping(details);
    throw err;
  }
}
