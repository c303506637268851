import { randomUUID } from 'node:crypto';
import type { TypedRpcClient } from '@nimbus/bus';
import type { VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import type { backupRpc, schedulerRpc, volumeRpc } from '../rpc/block-storage-rpc';
import { type Caller, rpcContext } from './caller';
import { CinderInvalid, CinderNotFound, InvalidVolume, VolumeNotFound } from './cinder-errors';
import { cinderTime } from './clock';
import type { QuotaManager } from './quota-manager';
import { parseSize } from './size';
import type { VolumeNotifier } from './volume-notifier';
import { DELETABLE, SETTLED_MIGRATION } from './volume-states';
import type { VolumeTypeManager } from './volume-type-manager';

/** The RPC clients the API-side managers send work with. */
export interface BlockStorageRpc {
  scheduler: TypedRpcClient<typeof schedulerRpc.methods>;
  volume: TypedRpcClient<typeof volumeRpc.methods>;
  backup: TypedRpcClient<typeof backupRpc.methods>;
}

/** What a create request asks for (the API's `volume` body, validated). */
export interface CreateVolumeInput {
  size?: unknown;
  name?: string | null;
  description?: string | null;
  volume_type?: string | null;
  availability_zone?: string | null;
  snapshot_id?: string | null;
  source_volid?: string | null;
  imageRef?: string | null;
  backup_id?: string | null;
  metadata?: Record<string, string>;
  multiattach?: boolean;
  consistencygroup_id?: string | null;
  group_id?: string | null;
}

/** Where volumes live and how the API reaches the image service. */
export interface VolumeManagerOptions {
  defaultAvailabilityZone: string;
  knownZones: () => Promise<string[]>;
  allowZoneFallback: boolean;
  /** Looks up an image for the caller; throws 404-class when it is unknown. */
  imageInfo?: (
    caller: Caller,
    imageId: string,
  ) => Promise<{ sizeBytes: number; minDiskGb: number; properties: Record<string, string> }>;
}

/**
 * The API side of volumes: checks input, state and quota, writes the record, and hands the work
 * to the scheduler or the volume's backend over RPC. The status machine's API transitions are
 * conditional updates, so two racing requests cannot both move one volume.
 */
export class VolumeManager {
  constructor(
    readonly stores: Stores,
    private readonly types: VolumeTypeManager,
    private readonly quotas: QuotaManager,
    private readonly rpc: BlockStorageRpc,
    private readonly notifier: VolumeNotifier,
    private readonly options: VolumeManagerOptions,
  ) {}

  /** A volume the caller may see (admins see all). */
  async get(caller: Caller, id: string): Promise<VolumeRecord> {
    const v = await this.stores.volumes.get(id);
    if (!v || (!caller.isAdmin && v.project_id !== caller.projectId)) throw new VolumeNotFound(id);
    return v;
  }

  /** Volumes of the caller's project, or of every project for an admin asking `all_tenants`. */
  async list(caller: Caller, allProjects: boolean, projectId?: string): Promise<VolumeRecord[]> {
    if (caller.isAdmin && allProjects) return this.stores.volumes.list(projectId ? { projectId } : {});
    return this.stores.volumes.list({ projectId: caller.projectId });
  }

  async create(
    caller: Caller,
    input: CreateVolumeInput,
    hints: Record<string, unknown> = {},
  ): Promise<VolumeRecord> {
    const sources = ['snapshot_id', 'source_volid', 'imageRef', 'backup_id'].filter(
      (k) => input[k as keyof CreateVolumeInput],
    );
    if (sources.length > 1) {
      throw new CinderInvalid(
        'Invalid input received: Only one of snapshot_id, source_volid, imageRef or backup_id may be given.',
      );
    }
    let size: number | undefined =
      input.size === undefined || input.size === null ? undefined : parseSize(input.size);
    let typeId: string | undefined;
    let zone = input.availability_zone || undefined;
    const image_metadata: Record<string, string> = {};
    let bootable = false;
    let multiattach = input.multiattach ?? false;
    if (input.snapshot_id) {
      const snap = await this.stores.snapshots.get(input.snapshot_id);
      if (!snap || (!caller.isAdmin && snap.project_id !== caller.projectId)) {
        throw new CinderNotFound('Snapshot', input.snapshot_id);
      }
      if (snap.status !== 'available') {
        throw new CinderInvalid(
          `Invalid snapshot: Originating snapshot status must be one of 'available' values`,
        );
      }
      size ??= snap.volume_size;
      if (size < snap.volume_size) {
        throw new CinderInvalid(
          `Invalid input received: Volume size '${size}GB' cannot be smaller than the snapshot size ${snap.volume_size}GB. They must be >= original snapshot size.`,
        );
      }
      typeId = snap.volume_type_id;
      const src = await this.stores.volumes.get(snap.volume_id);
      if (src) {
        zone ??= src.availability_zone;
        Object.assign(image_metadata, src.image_metadata);
        bootable = src.bootable;
      }
    }
    if (input.source_volid) {
      const src = await this.stores.volumes.get(input.source_volid);
      if (!src || (!caller.isAdmin && src.project_id !== caller.projectId))
        throw new VolumeNotFound(input.source_volid);
      if (!['available', 'in-use'].includes(src.status)) {
        throw new InvalidVolume(
          `Volume ${src.id} status must be available or in-use, but current status is: ${src.status}.`,
        );
      }
      size ??= src.size;
      if (size < src.size) {
        throw new CinderInvalid(
          `Invalid input received: Volume size '${size}GB' cannot be smaller than original volume size ${src.size}GB. They must be >= original volume size.`,
        );
      }
      typeId = src.volume_type_id;
      zone ??= src.availability_zone;
      Object.assign(image_metadata, src.image_metadata);
      bootable = src.bootable;
    }
    if (input.backup_id) {
      const b = await this.stores.backups.get(input.backup_id);
      if (!b || (!caller.isAdmin && b.project_id !== caller.projectId))
        throw new CinderNotFound('Backup', input.backup_id);
      if (b.status !== 'available')
        throw new CinderInvalid(`Invalid backup: Backup status must be available, but is ${b.status}.`);
      size ??= b.size;
      if (size < b.size)
        throw new CinderInvalid(
          `Invalid input received: Volume size ${size}GB is smaller than the backup's ${b.size}GB.`,
        );
    }
    if (input.imageRef) {
      if (!this.options.imageInfo)
        throw new CinderInvalid('Invalid image identifier or unable to access requested image.');
      const info = await this.options.imageInfo(caller, input.imageRef);
      const neededGb = Math.max(Math.ceil(info.sizeBytes / 2 ** 30), info.minDiskGb);
      size ??= Math.max(neededGb, 1);
      if (size < neededGb) {
        throw new CinderInvalid(
          `Invalid input received: Size of specified image ${neededGb}GB is larger than volume size ${size}GB.`,
        );
      }
      Object.assign(image_metadata, info.properties, { image_id: input.imageRef });
      bootable = true;
      // An image may name the type of the volumes made from it, when the request names none;
      // an unknown name falls back to the default, as Cinder does.
      const wanted = info.properties.cinder_img_volume_type;
      if (!input.volume_type && !typeId && typeof wanted === 'string' && wanted) {
        typeId = await this.types.find(caller, wanted).then(
          (t) => t.id,
          () => undefined,
        );
      }
    }
    if (size === undefined) throw new CinderInvalid('Invalid input received: size must be given.');

    if (input.volume_type) {
      const t = await this.types.find(caller, input.volume_type);
      if (typeId && typeId !== t.id && input.source_volid) {
        // A clone may change type only within what the backend can hold; Cinder allows it.
      }
      typeId = t.id;
    }
    const type = typeId ? await this.types.byId(typeId) : await this.types.defaultFor(caller.projectId);
    if (!type) throw new CinderNotFound('Volume type', String(typeId));
    if (type.extra_specs.multiattach === '<is> True') multiattach = true;

    const zones = await this.options.knownZones();
    if (zone && !zones.includes(zone)) {
      if (!this.options.allowZoneFallback) {
        throw new CinderInvalid(`Invalid input received: Availability zone '${zone}' is invalid.`);
      }
      zone = this.options.defaultAvailabilityZone;
    }
    zone ??= this.options.defaultAvailabilityZone;

    const quotaDeltas = {
      volumes: 1,
      gigabytes: size,
      [`volumes_${type.name}`]: 1,
      [`gigabytes_${type.name}`]: size,
    };
    const now = cinderTime();
    const v: VolumeRecord = {
      id: randomUUID(),
      project_id: caller.projectId,
      user_id: caller.userId,
      status: 'creating',
      name: input.name ?? null,
      description: input.description ?? null,
      size,
      availability_zone: zone,
      volume_type_id: type.id,
      host: null,
      snapshot_id: input.snapshot_id ?? null,
      source_volid: input.source_volid ?? null,
      backup_id: input.backup_id ?? null,
      image_id: input.imageRef ?? null,
      bootable,
      readonly: false,
      multiattach,
      metadata: input.metadata ?? {},
      admin_metadata: {},
      image_metadata,
      migration_status: null,
      attach_status: 'detached',
      provider_location: null,
      provider_id: null,
      group_id: input.group_id ?? null,
      consistencygroup_id: input.consistencygroup_id ?? null,
      previous_status: null,
      launched_at: null,
      terminated_at: null,
      scheduler_hints: hints,
      created_at: now,
      updated_at: now,
    };
    // The quota check and the counters' move (with the row) are one transaction.
    const quota = await this.quotas.prepare(caller.projectId);
    await this.stores.db.transaction(async (trx) => {
      await this.quotas.checkIn(quota, quotaDeltas, size, trx);
      await this.stores.volumes.insert(v, trx);
    });
    this.notifier.volume(caller, v, 'create.start');
    await this.rpc.scheduler.cast.create_volume(rpcContext(caller, true), { volume_id: v.id });
    return v;
  }

  async update(
    caller: Caller,
    id: string,
    change: { name?: string | null; description?: string | null; metadata?: Record<string, string> },
  ): Promise<VolumeRecord> {
    await this.get(caller, id);
    const v = await this.stores.volumes.update(id, (cur) => ({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.metadata !== undefined ? { metadata: change.metadata } : {}),
      updated_at: cinderTime(),
      ...(cur.id ? {} : {}),
    }));
    if (!v) throw new VolumeNotFound(id);
    this.notifier.volume(caller, v, 'update.end');
    return v;
  }

  /**
   * `DELETE /volumes/{id}` (with `cascade` and, for admins, `force`), and the `os-unmanage`
   * action (`unmanage`: status `unmanaging`, the backend keeps the data).
   */
  async delete(
    caller: Caller,
    id: string,
    opts: { cascade?: boolean; force?: boolean; unmanage?: boolean } = {},
  ): Promise<void> {
    const v = await this.get(caller, id);
    const snaps = (await this.stores.snapshots.list()).filter((s) => s.volume_id === id);
    if (!opts.force) {
      const problem = this.deleteProblem(v);
      if (problem) throw new InvalidVolume(problem);
      if (snaps.length && !opts.cascade) throw new InvalidVolume('Volume has snapshots.');
      if (opts.cascade && snaps.some((s) => !['available', 'error'].includes(s.status))) {
        throw new InvalidVolume(
          'Snapshot in use or in a busy state: cascade delete needs every snapshot available or in error.',
        );
      }
      const transfer = (await this.stores.transfers.list()).find((t) => t.volume_id === id);
      if (transfer) throw new InvalidVolume('Volume is awaiting a transfer.');
    } else if (v.attach_status === 'attached') {
      throw new InvalidVolume('Volume must not be attached: detach it first.');
    }
    const from = opts.force ? undefined : DELETABLE;
    const updated = await this.stores.volumes.update(
      id,
      () => ({
        status: opts.unmanage ? 'unmanaging' : 'deleting',
        previous_status: v.status,
        updated_at: cinderTime(),
      }),
      from,
    );
    if (!updated)
      throw new InvalidVolume(
        `Volume status must be available or error, but current status is: ${v.status}.`,
      );
    if (opts.cascade || opts.force) {
      for (const s of snaps) await this.stores.snapshots.update(s.id, () => ({ status: 'deleting' }));
    }
    this.notifier.volume(caller, updated, 'delete.start');
    if (!updated.host) {
      // Never scheduled: nothing on any backend.
      for (const s of snaps) await this.stores.snapshots.delete(s.id);
      await this.stores.volumes.delete(id);
      this.notifier.volume(caller, updated, 'delete.end');
      return;
    }
    await this.rpc.volume.cast.delete_volume(
      rpcContext(caller),
      { volume_id: id, cascade: !!(opts.cascade || opts.force), unmanage: !!opts.unmanage },
      { server: serverOf(updated.host) },
    );
  }

  private deleteProblem(v: VolumeRecord): string | undefined {
    const migrating = v.migration_status && !SETTLED_MIGRATION.includes(v.migration_status);
    if (!DELETABLE.includes(v.status) || v.attach_status === 'attached' || migrating) {
      return `Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.`;
    }
    return undefined;
  }

  async extend(caller: Caller, id: string, newSizeValue: unknown, allowInUse: boolean): Promise<void> {
    const v = await this.get(caller, id);
    const newSize = parseSize(newSizeValue, 'new_size');
    const allowed = allowInUse ? ['available', 'in-use'] : ['available'];
    if (!allowed.includes(v.status)) {
      throw new InvalidVolume(
        `Volume status must be '${allowed.join("' or '")}' to extend, currently ${v.status}.`,
      );
    }
    if (newSize <= v.size) {
      throw new InvalidVolume(
        `New size for extend must be greater than current size. (current: ${v.size}, extended: ${newSize}).`,
      );
    }
    const type = await this.types.byId(v.volume_type_id);
    const delta = newSize - v.size;
    await this.quotas.check(
      v.project_id,
      { gigabytes: delta, ...(type ? { [`gigabytes_${type.name}`]: delta } : {}) },
      newSize,
    );
    const updated = await this.stores.volumes.update(
      id,
      (cur) => ({ status: 'extending', previous_status: cur.status, updated_at: cinderTime() }),
      allowed,
    );
    if (!updated) throw new InvalidVolume('Volume status changed while extending.');
    this.notifier.volume(caller, updated, 'resize.start');
    await this.rpc.volume.cast.extend_volume(
      rpcContext(caller),
      { volume_id: id, new_size: newSize },
      { server: serverOf(String(v.host)) },
    );
  }

  /** Moves a volume between statuses (the admin's and the attach flow's transitions). */
  async transition(
    id: string,
    from: readonly string[] | undefined,
    change: Partial<VolumeRecord>,
    problem: (v: VolumeRecord) => string,
  ): Promise<VolumeRecord> {
    const updated = await this.stores.volumes.update(
      id,
      () => ({ ...change, updated_at: cinderTime() }),
      from,
    );
    if (!updated) {
      const v = await this.stores.volumes.get(id);
      if (!v) throw new VolumeNotFound(id);
      throw new InvalidVolume(problem(v));
    }
    return updated;
  }

  async setMetadata(caller: Caller, id: string, metadata: Record<string, string>, replace: boolean) {
    const v = await this.get(caller, id);
    if (v.status === 'maintenance') throw new InvalidVolume('Volume is in maintenance.');
    const next = replace ? { ...metadata } : { ...v.metadata, ...metadata };
    return (await this.update(caller, id, { metadata: next })).metadata;
  }

  async deleteMetadataKey(caller: Caller, id: string, key: string): Promise<void> {
    const v = await this.get(caller, id);
    if (!(key in v.metadata)) throw new CinderNotFound('Volume metadata', `${key} for volume ${id}`);
    const next = { ...v.metadata };
    delete next[key];
    await this.update(caller, id, { metadata: next });
  }
}

/** The volume role's RPC server for a `host@backend#pool` volume host. */
export function serverOf(host: string): string {
  return host.split('@')[0] ?? host;
}
