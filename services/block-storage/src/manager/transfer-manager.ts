import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { TransferRecord } from '../db/records';
import type { Stores } from '../db/stores';
import type { Caller } from './caller';
import { CinderInvalid, CinderNotFound, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import type { QuotaManager } from './quota-manager';
import type { VolumeManager } from './volume-manager';
import type { VolumeTypeManager } from './volume-type-manager';

/** Volume transfers: an offer with a one-time auth key, accepted by another project. */
export class TransferManager {
  constructor(
    private readonly stores: Stores,
    private readonly volumes: VolumeManager,
    private readonly types: VolumeTypeManager,
    private readonly quotas: QuotaManager,
  ) {}

  async get(caller: Caller, id: string): Promise<TransferRecord> {
    const t = await this.stores.transfers.get(id);
    if (!t || (!caller.isAdmin && t.project_id !== caller.projectId))
      throw new CinderNotFound('Transfer', id);
    return t;
  }

  async list(caller: Caller, allProjects: boolean): Promise<TransferRecord[]> {
    if (caller.isAdmin && allProjects) return this.stores.transfers.list();
    return this.stores.transfers.list({ projectId: caller.projectId });
  }

  async create(
    caller: Caller,
    input: { volume_id: string; name?: string | null; no_snapshots?: boolean },
  ): Promise<{ transfer: TransferRecord; authKey: string }> {
    const v = await this.volumes.get(caller, input.volume_id);
    if (v.status !== 'available') {
      throw new InvalidVolume(`status must be available, but current status is: ${v.status}.`);
    }
    const noSnapshots = input.no_snapshots ?? false;
    if (!noSnapshots) {
      const snaps = (await this.stores.snapshots.list()).filter((s) => s.volume_id === v.id);
      if (snaps.some((s) => s.status !== 'available'))
        throw new InvalidVolume('Volume has snapshots that are not available.');
    }
    const authKey = randomBytes(8).toString('hex');
    const salt = randomBytes(8).toString('hex');
    const now = cinderTime();
    const t: TransferRecord = {
      id: randomUUID(),
      project_id: v.project_id,
      volume_id: v.id,
      name: input.name ?? null,
      salt,
      crypt_hash: hash(salt, authKey),
      no_snapshots: noSnapshots,
      source_project_id: v.project_id,
      destination_project_id: null,
      accepted: false,
      created_at: now,
      updated_at: now,
    };
    await this.volumes.transition(
      v.id,
      ['available'],
      { status: 'awaiting-transfer' },
      (cur) => `status must be available, but current status is: ${cur.status}.`,
    );
    await this.stores.transfers.insert(t);
    return { transfer: t, authKey };
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const t = await this.get(caller, id);
    await this.stores.transfers.delete(id);
    await this.stores.volumes.update(t.volume_id, () => ({ status: 'available', updated_at: cinderTime() }), [
      'awaiting-transfer',
    ]);
  }

  /** Moves the volume (and its snapshots unless `no_snapshots`) to the caller's project. */
  async accept(caller: Caller, id: string, authKey: string): Promise<TransferRecord> {
    const t = await this.stores.transfers.get(id);
    if (!t) throw new CinderNotFound('Transfer', id);
    const expected = Buffer.from(t.crypt_hash);
    const given = Buffer.from(hash(t.salt, String(authKey)));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new CinderInvalid(`Invalid auth key: Attempt to transfer ${t.volume_id} with invalid auth key.`);
    }
    const v = await this.stores.volumes.get(t.volume_id);
    if (!v || v.status !== 'awaiting-transfer') throw new InvalidVolume('Volume is not awaiting a transfer.');
    const snaps = t.no_snapshots
      ? []
      : (await this.stores.snapshots.list()).filter((s) => s.volume_id === v.id);
    const type = await this.types.byId(v.volume_type_id);
    const snapGb = snaps.reduce((n, s) => n + s.volume_size, 0);
    await this.quotas.check(caller.projectId, {
      volumes: 1,
      gigabytes: v.size + snapGb,
      snapshots: snaps.length,
      ...(type ? { [`volumes_${type.name}`]: 1, [`gigabytes_${type.name}`]: v.size + snapGb } : {}),
    });
    for (const s of snaps)
      await this.stores.snapshots.update(s.id, () => ({
        project_id: caller.projectId,
        user_id: caller.userId,
      }));
    await this.stores.volumes.update(v.id, () => ({
      project_id: caller.projectId,
      user_id: caller.userId,
      status: 'available',
      updated_at: cinderTime(),
    }));
    await this.stores.transfers.delete(id);
    return { ...t, destination_project_id: caller.projectId, accepted: true };
  }
}

function hash(salt: string, key: string): string {
  return createHash('sha1').update(salt).update(key).digest('hex');
}
