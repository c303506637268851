import { randomUUID } from 'node:crypto';
import type { GroupRecord, GroupSnapshotRecord, GroupTypeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import type { Caller } from './caller';
import { CinderConflict, CinderInvalid, CinderNotFound, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import type { QuotaManager } from './quota-manager';
import type { SnapshotManager } from './snapshot-manager';
import type { VolumeManager } from './volume-manager';
import type { VolumeTypeManager } from './volume-type-manager';

/**
 * Generic volume groups (3.13+), group types (3.11+) and group snapshots (3.14+), as Cinder's
 * generic group implementation: a group is a record over its volumes; a group snapshot is one
 * snapshot per volume.
 */
export class GroupManager {
  constructor(
    private readonly stores: Stores,
    private readonly volumes: VolumeManager,
    private readonly snapshots: SnapshotManager,
    private readonly types: VolumeTypeManager,
    private readonly quotas: QuotaManager,
    private readonly zone: string,
  ) {}

  // Group types.

  async listTypes(caller: Caller): Promise<GroupTypeRecord[]> {
    return (await this.stores.groupTypes.list()).filter((t) => t.is_public || caller.isAdmin);
  }

  async getType(caller: Caller, id: string): Promise<GroupTypeRecord> {
    const t = await this.stores.groupTypes.get(id);
    if (!t || (!t.is_public && !caller.isAdmin)) throw new CinderNotFound('Group type', id);
    return t;
  }

  async createType(input: {
    name: string;
    description?: string | null;
    is_public?: boolean;
    group_specs?: Record<string, string>;
  }) {
    const name = String(input.name ?? '').trim();
    if (!name) throw new CinderInvalid('Invalid input received: group type name can not be empty.');
    if ((await this.stores.groupTypes.list()).some((t) => t.name === name))
      throw new CinderConflict(`Group Type ${name} already exists.`);
    const t: GroupTypeRecord = {
      id: randomUUID(),
      name,
      description: input.description ?? null,
      is_public: input.is_public ?? true,
      group_specs: input.group_specs ?? {},
      created_at: cinderTime(),
      updated_at: null,
    };
    return this.stores.groupTypes.insert(t);
  }

  async updateType(
    caller: Caller,
    id: string,
    change: { name?: string; description?: string | null; is_public?: boolean },
  ) {
    const t = await this.getType(caller, id);
    if (change.name !== undefined) {
      if (!String(change.name).trim())
        throw new CinderInvalid('Invalid input received: group type name can not be empty.');
      if ((await this.stores.groupTypes.list()).some((x) => x.name === change.name && x.id !== id)) {
        throw new CinderConflict(`Group Type ${change.name} already exists.`);
      }
      t.name = change.name;
    }
    if (change.description !== undefined) t.description = change.description;
    if (change.is_public !== undefined) t.is_public = change.is_public;
    t.updated_at = cinderTime();
    return this.stores.groupTypes.put(t);
  }

  async deleteType(caller: Caller, id: string): Promise<void> {
    await this.getType(caller, id);
    if ((await this.stores.groups.list()).some((g) => g.group_type_id === id)) {
      throw new CinderInvalid('Target group type is still in use.');
    }
    await this.stores.groupTypes.delete(id);
  }

  async setSpecs(caller: Caller, id: string, specs: Record<string, string>) {
    const t = await this.getType(caller, id);
    t.group_specs = { ...t.group_specs, ...specs };
    await this.stores.groupTypes.put(t);
    return specs;
  }

  async unsetSpec(caller: Caller, id: string, key: string) {
    const t = await this.getType(caller, id);
    if (!(key in t.group_specs)) throw new CinderNotFound('Group type spec', `${key} of ${id}`);
    delete t.group_specs[key];
    await this.stores.groupTypes.put(t);
  }

  // Groups.

  async get(caller: Caller, id: string): Promise<GroupRecord> {
    const g = await this.stores.groups.get(id);
    if (!g || (!caller.isAdmin && g.project_id !== caller.projectId)) throw new CinderNotFound('Group', id);
    return g;
  }

  async list(caller: Caller, allProjects: boolean): Promise<GroupRecord[]> {
    if (caller.isAdmin && allProjects) return this.stores.groups.list();
    return this.stores.groups.list({ projectId: caller.projectId });
  }

  async create(
    caller: Caller,
    input: {
      group_type: string;
      volume_types: string[];
      name?: string | null;
      description?: string | null;
      availability_zone?: string | null;
    },
  ): Promise<GroupRecord> {
    const gt = await this.getType(caller, input.group_type);
    if (!Array.isArray(input.volume_types) || !input.volume_types.length) {
      throw new CinderInvalid('Invalid input received: volume_types must be provided to create group.');
    }
    const typeIds: string[] = [];
    for (const t of input.volume_types) typeIds.push((await this.types.find(caller, t)).id);
    await this.quotas.check(caller.projectId, { groups: 1 });
    const now = cinderTime();
    const g: GroupRecord = {
      id: randomUUID(),
      project_id: caller.projectId,
      user_id: caller.userId,
      status: 'available',
      name: input.name ?? null,
      description: input.description ?? null,
      group_type_id: gt.id,
      volume_type_ids: typeIds,
      availability_zone: input.availability_zone ?? this.zone,
      host: null,
      group_snapshot_id: null,
      source_group_id: null,
      replication_status: 'disabled',
      created_at: now,
      updated_at: now,
    };
    return this.stores.groups.insert(g);
  }

  /** A new group whose volumes are made from a group snapshot's snapshots or another group's volumes. */
  async createFromSource(
    caller: Caller,
    input: {
      name?: string | null;
      description?: string | null;
      group_snapshot_id?: string | null;
      source_group_id?: string | null;
    },
  ): Promise<GroupRecord> {
    if (!!input.group_snapshot_id === !!input.source_group_id) {
      throw new CinderInvalid(
        'Invalid input received: exactly one of group_snapshot_id and source_group_id is needed.',
      );
    }
    let source: GroupRecord;
    let members: { snapshot_id?: string; source_volid?: string; volume_type: string; size: number }[];
    if (input.group_snapshot_id) {
      const gs = await this.getSnapshot(caller, input.group_snapshot_id);
      if (gs.status !== 'available') throw new CinderInvalid('Invalid group snapshot: it must be available.');
      source = await this.get(caller, gs.group_id);
      const snaps = (await this.stores.snapshots.list()).filter((x) => x.group_snapshot_id === gs.id);
      members = snaps.map((x) => ({ snapshot_id: x.id, volume_type: x.volume_type_id, size: x.volume_size }));
    } else {
      source = await this.get(caller, String(input.source_group_id));
      if (source.status !== 'available')
        throw new CinderInvalid('Invalid group: the source group must be available.');
      const vols = (await this.stores.volumes.list()).filter((v) => v.group_id === source.id);
      members = vols.map((v) => ({ source_volid: v.id, volume_type: v.volume_type_id, size: v.size }));
    }
    await this.quotas.check(caller.projectId, { groups: 1 });
    const now = cinderTime();
    const g: GroupRecord = {
      ...source,
      id: randomUUID(),
      project_id: caller.projectId,
      user_id: caller.userId,
      status: 'creating',
      name: input.name ?? null,
      description: input.description ?? null,
      group_snapshot_id: input.group_snapshot_id ?? null,
      source_group_id: input.source_group_id ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.stores.groups.insert(g);
    const ids: string[] = [];
    for (const m of members) {
      const v = await this.volumes.create(caller, {
        size: m.size,
        volume_type: m.volume_type,
        group_id: g.id,
        ...(m.snapshot_id ? { snapshot_id: m.snapshot_id } : {}),
        ...(m.source_volid ? { source_volid: m.source_volid } : {}),
      });
      ids.push(v.id);
    }
    void this.settleGroup(g.id, ids);
    return g;
  }

  /** The group is available once its new volumes are (error if one fails). */
  private async settleGroup(id: string, volumeIds: string[]): Promise<void> {
    for (let i = 0; i < 2400; i++) {
      const vols = await Promise.all(volumeIds.map((v) => this.stores.volumes.get(v)));
      if (vols.some((v) => !v || v.status === 'error')) {
        await this.stores.groups.update(id, () => ({ status: 'error' }));
        return;
      }
      if (vols.every((v) => v?.status === 'available')) {
        await this.stores.groups.update(id, () => ({ status: 'available', updated_at: cinderTime() }), [
          'creating',
        ]);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.stores.groups.update(id, () => ({ status: 'error' }));
  }

  async update(
    caller: Caller,
    id: string,
    change: {
      name?: string | null;
      description?: string | null;
      add_volumes?: string;
      remove_volumes?: string;
    },
  ): Promise<void> {
    const g = await this.get(caller, id);
    if (g.status !== 'available')
      throw new CinderInvalid(`Invalid group: group status must be available, but is ${g.status}.`);
    const ids = (s?: string) =>
      s
        ? s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : [];
    for (const vid of ids(change.add_volumes)) {
      const v = await this.volumes.get(caller, vid);
      if (!g.volume_type_ids.includes(v.volume_type_id))
        throw new InvalidVolume(`Volume ${vid}'s type is not supported by the group.`);
      if (!['available', 'in-use'].includes(v.status))
        throw new InvalidVolume(`Volume ${vid} must be available or in-use.`);
      if (v.group_id && v.group_id !== id) throw new InvalidVolume(`Volume ${vid} is already in a group.`);
      await this.stores.volumes.update(vid, () => ({ group_id: id }));
    }
    for (const vid of ids(change.remove_volumes)) {
      const v = await this.volumes.get(caller, vid);
      if (v.group_id !== id) throw new InvalidVolume(`Volume ${vid} is not in group ${id}.`);
      await this.stores.volumes.update(vid, () => ({ group_id: null }));
    }
    await this.stores.groups.update(id, () => ({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      updated_at: cinderTime(),
    }));
  }

  async delete(caller: Caller, id: string, deleteVolumes: boolean): Promise<void> {
    const g = await this.get(caller, id);
    if (!['available', 'error'].includes(g.status))
      throw new CinderInvalid(`Invalid group: group status must be available or error, but is ${g.status}.`);
    const members = (await this.stores.volumes.list()).filter((v) => v.group_id === id);
    if (members.length && !deleteVolumes)
      throw new CinderInvalid('Invalid group: group has volumes; delete_volumes must be true.');
    if ((await this.stores.groupSnapshots.list()).some((s) => s.group_id === id)) {
      throw new CinderInvalid('Invalid group: group has group snapshots.');
    }
    await this.stores.groups.update(id, () => ({ status: 'deleting' }));
    for (const v of members) await this.volumes.delete(caller, v.id, { cascade: true });
    // The group goes once its volumes are gone (their deletes run on the volume role).
    void (async () => {
      for (let i = 0; i < 2400; i++) {
        const left = (await this.stores.volumes.list()).filter((v) => v.group_id === id);
        if (!left.length) break;
        if (left.some((v) => v.status === 'error_deleting')) {
          await this.stores.groups.update(id, () => ({ status: 'error_deleting' }));
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await this.stores.groups.delete(id);
    })();
  }

  async resetStatus(caller: Caller, id: string, status: string): Promise<void> {
    await this.get(caller, id);
    await this.stores.groups.update(id, () => ({ status, updated_at: cinderTime() }));
  }

  // Group snapshots.

  async getSnapshot(caller: Caller, id: string): Promise<GroupSnapshotRecord> {
    const s = await this.stores.groupSnapshots.get(id);
    if (!s || (!caller.isAdmin && s.project_id !== caller.projectId))
      throw new CinderNotFound('GroupSnapshot', id);
    return s;
  }

  async listSnapshots(caller: Caller, allProjects: boolean): Promise<GroupSnapshotRecord[]> {
    if (caller.isAdmin && allProjects) return this.stores.groupSnapshots.list();
    return this.stores.groupSnapshots.list({ projectId: caller.projectId });
  }

  async createSnapshot(
    caller: Caller,
    input: { group_id: string; name?: string | null; description?: string | null },
  ) {
    const g = await this.get(caller, input.group_id);
    if (g.status !== 'available')
      throw new CinderInvalid(`Invalid group: group status must be available, but is ${g.status}.`);
    const now = cinderTime();
    const gs: GroupSnapshotRecord = {
      id: randomUUID(),
      project_id: g.project_id,
      status: 'creating',
      name: input.name ?? null,
      description: input.description ?? null,
      group_id: g.id,
      group_type_id: g.group_type_id,
      created_at: now,
      updated_at: now,
    };
    await this.stores.groupSnapshots.insert(gs);
    const members = (await this.stores.volumes.list()).filter((v) => v.group_id === g.id);
    for (const v of members) {
      const s = await this.snapshots.create(caller, {
        volume_id: v.id,
        name: `snapshot-${gs.id}`,
        force: true,
      });
      await this.stores.snapshots.update(s.id, () => ({ group_snapshot_id: gs.id }));
    }
    void this.settleSnapshot(gs.id);
    return gs;
  }

  /** The group snapshot is available once each member snapshot is (error if one fails). */
  private async settleSnapshot(id: string): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      const snaps = (await this.stores.snapshots.list()).filter((s) => s.group_snapshot_id === id);
      if (snaps.some((s) => s.status === 'error')) {
        await this.stores.groupSnapshots.update(id, () => ({ status: 'error' }));
        return;
      }
      if (snaps.every((s) => s.status === 'available')) {
        await this.stores.groupSnapshots.update(
          id,
          () => ({ status: 'available', updated_at: cinderTime() }),
          ['creating'],
        );
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.stores.groupSnapshots.update(id, () => ({ status: 'error' }));
  }

  async deleteSnapshot(caller: Caller, id: string): Promise<void> {
    const gs = await this.getSnapshot(caller, id);
    if (!['available', 'error'].includes(gs.status)) {
      throw new CinderInvalid(
        `Invalid group snapshot: status must be available or error, but is ${gs.status}.`,
      );
    }
    await this.stores.groupSnapshots.update(id, () => ({ status: 'deleting' }));
    const snaps = (await this.stores.snapshots.list()).filter((s) => s.group_snapshot_id === id);
    for (const s of snaps) await this.snapshots.delete(caller, s.id, { force: true });
    void (async () => {
      for (let i = 0; i < 1200; i++) {
        const left = (await this.stores.snapshots.list()).filter((s) => s.group_snapshot_id === id);
        if (!left.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await this.stores.groupSnapshots.delete(id);
    })();
  }

  async resetSnapshotStatus(caller: Caller, id: string, status: string): Promise<void> {
    await this.getSnapshot(caller, id);
    await this.stores.groupSnapshots.update(id, () => ({ status, updated_at: cinderTime() }));
  }
}
