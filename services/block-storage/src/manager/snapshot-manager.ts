import { randomUUID } from 'node:crypto';
import type { SnapshotRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { type Caller, rpcContext } from './caller';
import { CinderNotFound, InvalidSnapshot, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import type { QuotaManager } from './quota-manager';
import { type BlockStorageRpc, serverOf, type VolumeManager } from './volume-manager';
import type { VolumeNotifier } from './volume-notifier';
import type { VolumeTypeManager } from './volume-type-manager';

/** Snapshots: the API side (checks, quota, record) before the volume role takes them. */
export class SnapshotManager {
  constructor(
    private readonly stores: Stores,
    private readonly volumes: VolumeManager,
    private readonly types: VolumeTypeManager,
    private readonly quotas: QuotaManager,
    private readonly rpc: BlockStorageRpc,
    private readonly notifier: VolumeNotifier,
  ) {}

  async get(caller: Caller, id: string): Promise<SnapshotRecord> {
    const s = await this.stores.snapshots.get(id);
    if (!s || (!caller.isAdmin && s.project_id !== caller.projectId))
      throw new CinderNotFound('Snapshot', id);
    return s;
  }

  async list(caller: Caller, allProjects: boolean, projectId?: string): Promise<SnapshotRecord[]> {
    if (caller.isAdmin && allProjects) return this.stores.snapshots.list(projectId ? { projectId } : {});
    return this.stores.snapshots.list({ projectId: caller.projectId });
  }

  async create(
    caller: Caller,
    input: {
      volume_id: string;
      name?: string | null;
      description?: string | null;
      force?: boolean;
      metadata?: Record<string, string>;
    },
  ): Promise<SnapshotRecord> {
    const v = await this.volumes.get(caller, input.volume_id);
    if (v.status === 'maintenance') throw new InvalidVolume('Volume is in maintenance.');
    const ok = input.force ? ['available', 'in-use'] : ['available'];
    if (!ok.includes(v.status)) {
      throw new InvalidVolume(`Volume ${v.id} status must be available, but current status is: ${v.status}.`);
    }
    const type = await this.types.byId(v.volume_type_id);
    await this.quotas.check(v.project_id, {
      snapshots: 1,
      gigabytes: v.size,
      ...(type ? { [`snapshots_${type.name}`]: 1, [`gigabytes_${type.name}`]: v.size } : {}),
    });
    const now = cinderTime();
    const s: SnapshotRecord = {
      id: randomUUID(),
      project_id: v.project_id,
      user_id: caller.userId,
      status: 'creating',
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
    this.notifier.snapshot(caller, s, 'create.start');
    await this.rpc.volume.cast.create_snapshot(
      rpcContext(caller),
      { snapshot_id: s.id },
      { server: serverOf(String(v.host)) },
    );
    return s;
  }

  async update(
    caller: Caller,
    id: string,
    change: { name?: string | null; description?: string | null; metadata?: Record<string, string> },
  ): Promise<SnapshotRecord> {
    await this.get(caller, id);
    const s = await this.stores.snapshots.update(id, () => ({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.metadata !== undefined ? { metadata: change.metadata } : {}),
      updated_at: cinderTime(),
    }));
    if (!s) throw new CinderNotFound('Snapshot', id);
    return s;
  }

  async delete(
    caller: Caller,
    id: string,
    opts: { force?: boolean; unmanage?: boolean } = {},
  ): Promise<void> {
    const s = await this.get(caller, id);
    if (!opts.force && !['available', 'error'].includes(s.status)) {
      throw new InvalidSnapshot(
        `Snapshot status must be available or error, but current status is: ${s.status}.`,
      );
    }
    const dependents = (await this.stores.volumes.list()).filter(
      (v) => v.snapshot_id === id && v.status === 'creating',
    );
    if (dependents.length) throw new InvalidSnapshot('Snapshot is in use by a volume being created.');
    const updated = await this.stores.snapshots.update(id, () => ({
      status: opts.unmanage ? 'unmanaging' : 'deleting',
      updated_at: cinderTime(),
    }));
    if (!updated) throw new CinderNotFound('Snapshot', id);
    this.notifier.snapshot(caller, updated, 'delete.start');
    const v = await this.stores.volumes.get(s.volume_id);
    if (!v?.host) {
      await this.stores.snapshots.delete(id);
      return;
    }
    await this.rpc.volume.cast.delete_snapshot(
      rpcContext(caller),
      { snapshot_id: id, unmanage: !!opts.unmanage },
      { server: serverOf(v.host) },
    );
  }

  async resetStatus(id: string, status: string): Promise<void> {
    const s = await this.stores.snapshots.update(id, () => ({ status, updated_at: cinderTime() }));
    if (!s) throw new CinderNotFound('Snapshot', id);
  }
}
