import { randomUUID } from 'node:crypto';
import type { ServiceRecord, SnapshotRecord, VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { type Caller, rpcContext } from './caller';
import { CinderInvalid, CinderNotFound, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import type { QuotaManager } from './quota-manager';
import { type BlockStorageRpc, serverOf, type VolumeManager } from './volume-manager';
import type { VolumeNotifier } from './volume-notifier';
import type { VolumeTypeManager } from './volume-type-manager';

/** What `POST /manageable_volumes` (and legacy `os-volume-manage`) asks for, checked by the API. */
export interface ManageVolumeInput {
  host: string;
  ref: Record<string, unknown>;
  name?: string | null;
  description?: string | null;
  volume_type?: string | null;
  availability_zone?: string | null;
  bootable?: boolean;
  metadata?: Record<string, string>;
}

/** What `POST /manageable_snapshots` (and legacy `os-snapshot-manage`) asks for. */
export interface ManageSnapshotInput {
  volume_id: string;
  ref: Record<string, unknown>;
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
}

/**
 * The API side of manage / unmanage (Cinder's `manage_existing` and the manageable lists):
 * finds the volume service of the host, writes the `managing` record (counted against quota
 * with its size still 0, as Cinder) and casts the adoption to that backend's volume role, which
 * learns the size and checks the gigabytes quota.
 */
export class ManageManager {
  constructor(
    private readonly stores: Stores,
    private readonly volumes: VolumeManager,
    private readonly types: VolumeTypeManager,
    private readonly quotas: QuotaManager,
    private readonly rpc: BlockStorageRpc,
    private readonly notifier: VolumeNotifier,
  ) {}

  /** The volume service of `host@backend[#pool]`; 404 as upstream's ServiceNotFound. */
  private async serviceOf(host: string): Promise<ServiceRecord> {
    const backend = host.split('#')[0];
    const svc = (await this.stores.services.list()).find(
      (s) => s.binary === 'cinder-volume' && s.host === backend,
    );
    if (!svc) throw new CinderNotFound('Service', host);
    if (svc.backend_state === 'down' || svc.disabled)
      throw new CinderInvalid(`Service ${backend} is not available.`);
    return svc;
  }

  async manageVolume(caller: Caller, input: ManageVolumeInput): Promise<VolumeRecord> {
    const svc = await this.serviceOf(input.host);
    const host = input.host.includes('#') ? input.host : `${svc.host}#${svc.pools[0]?.name ?? svc.host}`;
    const type = input.volume_type
      ? await this.types.find(caller, input.volume_type).catch(() => {
          throw new CinderNotFound('Volume type', input.volume_type!);
        })
      : await this.types.defaultFor(caller.projectId);
    if (!type) throw new CinderNotFound('Volume type', String(input.volume_type));
    const zone = input.availability_zone || svc.zone;
    if (zone !== svc.zone)
      throw new CinderInvalid(`Invalid input received: Availability zone '${zone}' is invalid.`);
    const now = cinderTime();
    const v: VolumeRecord = {
      id: randomUUID(),
      project_id: caller.projectId,
      user_id: caller.userId,
      status: 'managing',
      name: input.name ?? null,
      description: input.description ?? null,
      size: 0,
      availability_zone: zone,
      volume_type_id: type.id,
      host,
      snapshot_id: null,
      source_volid: null,
      backup_id: null,
      image_id: null,
      bootable: input.bootable ?? false,
      readonly: false,
      multiattach: type.extra_specs.multiattach === '<is> True',
      metadata: input.metadata ?? {},
      admin_metadata: {},
      image_metadata: {},
      migration_status: null,
      attach_status: 'detached',
      provider_location: null,
      provider_id: null,
      group_id: null,
      consistencygroup_id: null,
      previous_status: null,
      launched_at: null,
      terminated_at: null,
      scheduler_hints: {},
      created_at: now,
      updated_at: now,
    };
    const quota = await this.quotas.prepare(caller.projectId);
    await this.stores.db.transaction(async (trx) => {
      await this.quotas.checkIn(quota, { volumes: 1, [`volumes_${type.name}`]: 1 }, undefined, trx);
      await this.stores.volumes.insert(v, trx);
    });
    this.notifier.volume(caller, v, 'manage_existing.start');
    await this.rpc.volume.cast.manage_existing(
      rpcContext(caller),
      { volume_id: v.id, ref: input.ref },
      { server: serverOf(host) },
    );
    return v;
  }

  async manageSnapshot(caller: Caller, input: ManageSnapshotInput): Promise<SnapshotRecord> {
    const v = await this.volumes.get(caller, input.volume_id);
    if (!v.host) throw new CinderNotFound('Service', String(v.host));
    await this.serviceOf(v.host);
    if (!['available', 'in-use'].includes(v.status))
      throw new InvalidVolume(`Volume ${v.id} status must be available or in-use, but is ${v.status}.`);
    const type = await this.types.byId(v.volume_type_id);
    await this.quotas.check(v.project_id, {
      snapshots: 1,
      ...(type ? { [`snapshots_${type.name}`]: 1 } : {}),
    });
    const now = cinderTime();
    const s: SnapshotRecord = {
      id: randomUUID(),
      project_id: v.project_id,
      user_id: caller.userId,
      status: 'managing',
      name: input.name ?? null,
      description: input.description ?? null,
      volume_id: v.id,
      volume_size: v.size,
      volume_type_id: v.volume_type_id,
      progress: '0%',
      metadata: input.metadata ?? {},
      provider_location: null,
      provider_id: null,
      group_snapshot_id: null,
      created_at: now,
      updated_at: now,
    };
    await this.stores.snapshots.insert(s);
    this.notifier.snapshot(caller, s, 'manage_existing_snapshot.start');
    await this.rpc.volume.cast.manage_existing_snapshot(
      rpcContext(caller),
      { snapshot_id: s.id, ref: input.ref },
      { server: serverOf(v.host) },
    );
    return s;
  }

  /** What the backend of `host` could manage (upstream entry keys), unsorted. */
  async listManageable(
    caller: Caller,
    host: string,
    kind: 'volume' | 'snapshot',
  ): Promise<Record<string, unknown>[]> {
    const svc = await this.serviceOf(host);
    return this.rpc.volume.call.get_manageable(
      rpcContext(caller),
      { host: svc.host, kind },
      { server: serverOf(svc.host) },
    );
  }
}
