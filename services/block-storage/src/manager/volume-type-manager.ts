import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { BlockStorageTables } from '../db/record-store';
import { RecordStore } from '../db/record-store';
import type { VolumeTypeRecord } from '../db/records';
import type { Caller } from './caller';
import { CinderConflict, CinderInvalid, CinderNotFound } from './cinder-errors';
import { cinderTime } from './clock';

/** Volume types, their extra specs, access lists, encryption and per-project default types. */
export class VolumeTypeManager {
  readonly store: RecordStore<VolumeTypeRecord>;
  /** Per-project default types (3.62): `project_id → type id`. */
  readonly defaults: RecordStore<{ id: string; created_at: string; volume_type_id: string }>;
  private cache = new Map<string, VolumeTypeRecord>();

  constructor(
    db: Database<BlockStorageTables>,
    private readonly defaultTypeName: string,
  ) {
    this.store = new RecordStore(db, 'volume_type');
    this.defaults = new RecordStore(db, 'default_type');
  }

  /** Creates the configured default type when no type has its name (Cinder's `__DEFAULT__`). */
  async ensureDefault(): Promise<void> {
    const all = await this.store.list();
    if (!all.some((t) => t.name === this.defaultTypeName)) {
      await this.store.insert(newType({ name: this.defaultTypeName, description: 'Default Volume Type' }));
    }
  }

  /** A type by id, from a small cache (types change rarely). */
  async byId(id: string): Promise<VolumeTypeRecord | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const t = await this.store.get(id);
    if (t) this.cache.set(id, t);
    return t;
  }

  /** The type a caller may use, by id or name; 404 otherwise. */
  async find(caller: Caller, idOrName: string): Promise<VolumeTypeRecord> {
    let t = await this.byId(idOrName);
    if (!t) t = (await this.store.list()).find((x) => x.name === idOrName);
    if (!t || !this.visible(caller, t)) throw new CinderNotFound('Volume type', idOrName);
    return t;
  }

  /** The default type of the caller's project (3.62), else the configured one. */
  async defaultFor(projectId: string): Promise<VolumeTypeRecord> {
    const d = await this.defaults.get(projectId);
    if (d) {
      const t = await this.byId(d.volume_type_id);
      if (t) return t;
    }
    const t = (await this.store.list()).find((x) => x.name === this.defaultTypeName);
    if (!t) throw new CinderNotFound('Volume type', this.defaultTypeName);
    return t;
  }

  visible(caller: Caller, t: VolumeTypeRecord): boolean {
    return t.is_public || caller.isAdmin || t.projects.includes(caller.projectId);
  }

  async list(caller: Caller, isPublic?: boolean): Promise<VolumeTypeRecord[]> {
    const all = await this.store.list();
    return all.filter((t) => {
      if (!caller.isAdmin) return this.visible(caller, t);
      if (isPublic === undefined) return true;
      return t.is_public === isPublic;
    });
  }

  async create(input: {
    name: string;
    description?: string | null;
    is_public?: boolean;
    extra_specs?: Record<string, string>;
  }): Promise<VolumeTypeRecord> {
    const name = input.name.trim();
    if (!name) throw new CinderInvalid('Volume type name can not be empty.');
    if ((await this.store.list()).some((t) => t.name === name)) {
      throw new CinderConflict(`Volume Type ${name} already exists.`);
    }
    return this.store.insert(newType({ ...input, name }));
  }

  async update(
    id: string,
    change: { name?: string; description?: string | null; is_public?: boolean },
  ): Promise<VolumeTypeRecord> {
    const t = await this.mustGet(id);
    if (change.name !== undefined) {
      const name = change.name.trim();
      if (!name) throw new CinderInvalid('Volume type name can not be empty.');
      if (name !== t.name && (await this.store.list()).some((x) => x.name === name)) {
        throw new CinderConflict(`Volume Type ${name} already exists.`);
      }
      if (t.name === this.defaultTypeName && name !== t.name) {
        throw new CinderInvalid('The default volume type cannot be renamed.');
      }
      t.name = name;
    }
    if (change.description !== undefined) t.description = change.description;
    if (change.is_public !== undefined) t.is_public = change.is_public;
    return this.save(t);
  }

  async delete(id: string, inUse: (typeId: string) => Promise<boolean>): Promise<void> {
    const t = await this.mustGet(id);
    if (t.name === this.defaultTypeName) {
      throw new CinderInvalid('Default volume type can not be deleted.');
    }
    if ((await this.defaults.list()).some((d) => d.volume_type_id === id)) {
      throw new CinderInvalid(`Volume type ${id} is the default type of a project and cannot be deleted.`);
    }
    if (await inUse(id)) throw new CinderInvalid(`Target volume type is still in use.`);
    await this.store.delete(id);
    this.cache.delete(id);
  }

  async mustGet(id: string): Promise<VolumeTypeRecord> {
    const t = await this.store.get(id);
    if (!t) throw new CinderNotFound('Volume type', id);
    return t;
  }

  async save(t: VolumeTypeRecord): Promise<VolumeTypeRecord> {
    t.updated_at = cinderTime();
    await this.store.put(t);
    this.cache.set(t.id, t);
    return t;
  }

  async setExtraSpecs(id: string, specs: Record<string, string>): Promise<Record<string, string>> {
    const t = await this.mustGet(id);
    t.extra_specs = { ...t.extra_specs, ...specs };
    await this.save(t);
    return specs;
  }

  async unsetExtraSpec(id: string, key: string): Promise<void> {
    const t = await this.mustGet(id);
    if (!(key in t.extra_specs)) {
      throw new CinderNotFound('Volume Type extra spec', `${key} for volume type ${id}`);
    }
    delete t.extra_specs[key];
    await this.save(t);
  }

  async addAccess(id: string, projectId: string): Promise<void> {
    const t = await this.mustGet(id);
    if (t.is_public)
      throw new CinderInvalid(
        'Invalid volume type: Type access modification is not applicable to public volume type.',
      );
    if (t.projects.includes(projectId)) {
      throw new CinderConflict(`Volume type access for ${id} / ${projectId} combination already exists.`);
    }
    t.projects.push(projectId);
    await this.save(t);
  }

  async removeAccess(id: string, projectId: string): Promise<void> {
    const t = await this.mustGet(id);
    if (t.is_public)
      throw new CinderInvalid(
        'Invalid volume type: Type access modification is not applicable to public volume type.',
      );
    if (!t.projects.includes(projectId)) {
      throw new CinderNotFound('Volume type access', `${id} / ${projectId}`);
    }
    t.projects = t.projects.filter((p) => p !== projectId);
    await this.save(t);
  }
}

function newType(input: {
  name: string;
  description?: string | null;
  is_public?: boolean;
  extra_specs?: Record<string, string>;
}): VolumeTypeRecord {
  const now = cinderTime();
  return {
    id: randomUUID(),
    name: input.name,
    description: input.description ?? null,
    is_public: input.is_public ?? true,
    extra_specs: input.extra_specs ?? {},
    qos_specs_id: null,
    projects: [],
    encryption: null,
    created_at: now,
    updated_at: null,
  };
}
