import { randomUUID } from 'node:crypto';
import { type Database, nowTimestamp } from '@nimbus/db';
import type { ComputeTables } from './compute-tables';

/** A block device mapping row (Nova's `block_device_mapping`). */
export interface BlockDeviceMappingRow {
  uuid: string;
  instance_uuid: string;
  source_type: string;
  destination_type: string;
  volume_id: string | null;
  snapshot_id: string | null;
  image_id: string | null;
  volume_size: number | null;
  device_name: string | null;
  boot_index: number | null;
  guest_format: string | null;
  disk_bus: string | null;
  device_type: string | null;
  volume_type: string | null;
  tag: string | null;
  attachment_id: string | null;
  delete_on_termination: boolean | number;
  created_at: string;
  updated_at: string | null;
}

type Tables = ComputeTables & { block_device_mappings: BlockDeviceMappingRow };

/** One block device of an instance: a volume (attached or to be made) or a local disk. */
export interface BlockDeviceMapping {
  uuid: string;
  instanceUuid: string;
  sourceType: 'image' | 'volume' | 'snapshot' | 'blank';
  destinationType: 'volume' | 'local';
  volumeId: string | null;
  snapshotId: string | null;
  imageId: string | null;
  volumeSizeGb: number | null;
  deviceName: string | null;
  bootIndex: number | null;
  guestFormat: string | null;
  diskBus: string | null;
  deviceType: string | null;
  volumeType: string | null;
  tag: string | null;
  attachmentId: string | null;
  deleteOnTermination: boolean;
  createdAt: string;
}

/** What a new mapping needs (the rest defaults to null / false). */
export type NewBlockDeviceMapping = Pick<
  BlockDeviceMapping,
  'instanceUuid' | 'sourceType' | 'destinationType'
> &
  Partial<Omit<BlockDeviceMapping, 'uuid' | 'instanceUuid' | 'sourceType' | 'destinationType' | 'createdAt'>>;

function fromRow(r: BlockDeviceMappingRow): BlockDeviceMapping {
  return {
    uuid: r.uuid,
    instanceUuid: r.instance_uuid,
    sourceType: r.source_type as BlockDeviceMapping['sourceType'],
    destinationType: r.destination_type as BlockDeviceMapping['destinationType'],
    volumeId: r.volume_id,
    snapshotId: r.snapshot_id,
    imageId: r.image_id,
    volumeSizeGb: r.volume_size,
    deviceName: r.device_name,
    bootIndex: r.boot_index,
    guestFormat: r.guest_format,
    diskBus: r.disk_bus,
    deviceType: r.device_type,
    volumeType: r.volume_type,
    tag: r.tag,
    attachmentId: r.attachment_id,
    deleteOnTermination: Boolean(r.delete_on_termination),
    createdAt: r.created_at,
  };
}

/** The block device mappings of instances. Rows go when their volume is detached or the instance deleted. */
export class BlockDeviceMappingRepository {
  private readonly db: Database<Tables>;

  constructor(db: Database<ComputeTables>) {
    this.db = db as unknown as Database<Tables>;
  }

  /** Records a mapping; answers it with its new uuid. */
  async create(m: NewBlockDeviceMapping): Promise<BlockDeviceMapping> {
    const row: BlockDeviceMappingRow = {
      uuid: randomUUID(),
      instance_uuid: m.instanceUuid,
      source_type: m.sourceType,
      destination_type: m.destinationType,
      volume_id: m.volumeId ?? null,
      snapshot_id: m.snapshotId ?? null,
      image_id: m.imageId ?? null,
      volume_size: m.volumeSizeGb ?? null,
      device_name: m.deviceName ?? null,
      boot_index: m.bootIndex ?? null,
      guest_format: m.guestFormat ?? null,
      disk_bus: m.diskBus ?? null,
      device_type: m.deviceType ?? null,
      volume_type: m.volumeType ?? null,
      tag: m.tag ?? null,
      attachment_id: m.attachmentId ?? null,
      delete_on_termination: m.deleteOnTermination ?? false,
      created_at: nowTimestamp(),
      updated_at: null,
    };
    await this.db.kysely.insertInto('block_device_mappings').values(row).execute();
    return fromRow(row);
  }

  /** An instance's mappings, boot disk first, then by device name. */
  async forInstance(instanceUuid: string): Promise<BlockDeviceMapping[]> {
    return this.forInstances([instanceUuid]);
  }

  /** The mappings of several instances (a server list), boot disk first, then by device name. */
  async forInstances(instanceUuids: readonly string[]): Promise<BlockDeviceMapping[]> {
    if (instanceUuids.length === 0) return [];
    const rows = await this.db.kysely
      .selectFrom('block_device_mappings')
      .selectAll()
      .where('instance_uuid', 'in', [...instanceUuids])
      .orderBy('created_at')
      .execute();
    return rows
      .map(fromRow)
      .sort((a, b) => order(a) - order(b) || (a.deviceName ?? '').localeCompare(b.deviceName ?? ''));
  }

  /** The instance's mapping of a volume. */
  async byVolume(instanceUuid: string, volumeId: string): Promise<BlockDeviceMapping | undefined> {
    const r = await this.db.kysely
      .selectFrom('block_device_mappings')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .where('volume_id', '=', volumeId)
      .executeTakeFirst();
    return r ? fromRow(r) : undefined;
  }

  /** Changes a mapping (volume, attachment, device, flags). */
  async update(
    uuid: string,
    changes: Partial<
      Pick<
        BlockDeviceMapping,
        'volumeId' | 'attachmentId' | 'deviceName' | 'deleteOnTermination' | 'volumeSizeGb'
      >
    >,
  ): Promise<void> {
    await this.db.kysely
      .updateTable('block_device_mappings')
      .set({
        ...(changes.volumeId !== undefined ? { volume_id: changes.volumeId } : {}),
        ...(changes.attachmentId !== undefined ? { attachment_id: changes.attachmentId } : {}),
        ...(changes.deviceName !== undefined ? { device_name: changes.deviceName } : {}),
        ...(changes.volumeSizeGb !== undefined ? { volume_size: changes.volumeSizeGb } : {}),
        ...(changes.deleteOnTermination !== undefined
          ? { delete_on_termination: changes.deleteOnTermination }
          : {}),
        updated_at: nowTimestamp(),
      })
      .where('uuid', '=', uuid)
      .execute();
  }

  async delete(uuid: string): Promise<void> {
    await this.db.kysely.deleteFrom('block_device_mappings').where('uuid', '=', uuid).execute();
  }

  /** Drops every mapping of a deleted instance. */
  async deleteForInstance(instanceUuid: string): Promise<void> {
    await this.db.kysely
      .deleteFrom('block_device_mappings')
      .where('instance_uuid', '=', instanceUuid)
      .execute();
  }
}

/** Boot disk (index 0) first, other bootable ones next, the rest (null, -1) last. */
function order(m: BlockDeviceMapping): number {
  return m.bootIndex === null || m.bootIndex < 0 ? 1_000_000 : m.bootIndex;
}
