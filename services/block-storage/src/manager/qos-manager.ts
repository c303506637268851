import { randomUUID } from 'node:crypto';
import type { QosSpecsRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { CinderConflict, CinderInvalid, CinderNotFound } from './cinder-errors';
import { cinderTime } from './clock';
import type { VolumeTypeManager } from './volume-type-manager';

const CONSUMERS = ['front-end', 'back-end', 'both'];

/** QoS specs and their associations with volume types. */
export class QosManager {
  constructor(
    private readonly stores: Stores,
    private readonly types: VolumeTypeManager,
  ) {}

  list(): Promise<QosSpecsRecord[]> {
    return this.stores.qos.list();
  }

  async get(id: string): Promise<QosSpecsRecord> {
    const q = await this.stores.qos.get(id);
    if (!q) throw new CinderNotFound('QoS spec', id);
    return q;
  }

  async create(input: Record<string, unknown>): Promise<QosSpecsRecord> {
    const { name, consumer = 'back-end', ...specs } = input;
    if (typeof name !== 'string' || !name.trim() || name.length > 255) {
      throw new CinderInvalid('Invalid input received: QoS specs name must be a non-empty string up to 255.');
    }
    if (typeof consumer !== 'string' || !CONSUMERS.includes(consumer)) {
      throw new CinderInvalid(`Invalid input received: consumer must be one of ${CONSUMERS.join(', ')}.`);
    }
    if ((await this.list()).some((q) => q.name === name))
      throw new CinderConflict(`QoS Specs ${name} already exists.`);
    const q: QosSpecsRecord = {
      id: randomUUID(),
      name,
      consumer,
      specs: Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, String(v)])),
      created_at: cinderTime(),
      updated_at: null,
    };
    return this.stores.qos.insert(q);
  }

  async setKeys(id: string, keys: Record<string, unknown>): Promise<Record<string, string>> {
    const q = await this.get(id);
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(keys)) {
      if (k === 'consumer') {
        if (!CONSUMERS.includes(String(v))) throw new CinderInvalid('Invalid input received: bad consumer.');
        q.consumer = String(v);
      } else q.specs[k] = String(v);
      set[k] = String(v);
    }
    q.updated_at = cinderTime();
    await this.stores.qos.put(q);
    return set;
  }

  async unsetKeys(id: string, keys: string[]): Promise<void> {
    const q = await this.get(id);
    for (const k of keys) {
      if (!(k in q.specs)) throw new CinderNotFound('QoS spec key', `${k} of ${id}`);
      delete q.specs[k];
    }
    await this.stores.qos.put(q);
  }

  async associations(id: string) {
    await this.get(id);
    return (await this.types.store.list())
      .filter((t) => t.qos_specs_id === id)
      .map((t) => ({ association_type: 'volume_type', name: t.name, id: t.id }));
  }

  async associate(id: string, typeId: string): Promise<void> {
    await this.get(id);
    const t = await this.types.mustGet(typeId);
    if (t.qos_specs_id && t.qos_specs_id !== id) {
      throw new CinderInvalid(
        `Invalid input received: Type ${typeId} is already associated with another qos specs: ${t.qos_specs_id}`,
      );
    }
    t.qos_specs_id = id;
    await this.types.save(t);
  }

  async disassociate(id: string, typeId: string): Promise<void> {
    await this.get(id);
    const t = await this.types.mustGet(typeId);
    if (t.qos_specs_id === id) {
      t.qos_specs_id = null;
      await this.types.save(t);
    }
  }

  async disassociateAll(id: string): Promise<void> {
    for (const a of await this.associations(id)) await this.disassociate(id, a.id);
  }

  async delete(id: string, force: boolean): Promise<void> {
    const assoc = await this.associations(id);
    if (assoc.length && !force) throw new CinderInvalid(`QoS Specs ${id} is still associated with entities.`);
    for (const a of assoc) await this.disassociate(id, a.id);
    await this.stores.qos.delete(id);
  }
}
