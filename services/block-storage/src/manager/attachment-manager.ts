import { randomUUID } from 'node:crypto';
import type { AttachmentRecord, VolumeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { type Caller, rpcContext } from './caller';
import { CinderInvalid, CinderNotFound, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import { type BlockStorageRpc, serverOf, type VolumeManager } from './volume-manager';

/**
 * Attachments: the 3.27+ API compute uses (create, update with a connector, complete, delete) and
 * the legacy actions (os-reserve, os-initialize_connection, os-attach, os-detach...). The
 * volume's status follows its attachments: reserved → attaching → in-use → detaching → available.
 */
export class AttachmentManager {
  constructor(
    private readonly stores: Stores,
    private readonly volumes: VolumeManager,
    private readonly rpc: BlockStorageRpc,
  ) {}

  async get(caller: Caller, id: string): Promise<AttachmentRecord> {
    const a = await this.stores.attachments.get(id);
    if (!a || (!caller.isAdmin && a.project_id !== caller.projectId))
      throw new CinderNotFound('VolumeAttachment', id);
    return a;
  }

  async list(caller: Caller, allProjects: boolean): Promise<AttachmentRecord[]> {
    if (caller.isAdmin && allProjects) return this.stores.attachments.list();
    return this.stores.attachments.list({ projectId: caller.projectId });
  }

  private async liveAttachments(volumeId: string): Promise<AttachmentRecord[]> {
    return (await this.stores.attachments.list()).filter(
      (a) => a.volume_id === volumeId && a.status !== 'detached',
    );
  }

  /** Checks the volume can take one more attachment for `instance` (multiattach rules). */
  private async checkAttachable(v: VolumeRecord, instance: string | null): Promise<void> {
    const live = await this.liveAttachments(v.id);
    if (
      !['available', 'in-use', 'reserved', 'downloading'].includes(v.status) ||
      (v.status === 'downloading' && !v.multiattach)
    ) {
      throw new InvalidVolume(
        `Volume ${v.id} status must be available or in-use or downloading to reserve, but the current status is ${v.status}.`,
      );
    }
    if (live.length && !v.multiattach) {
      throw new InvalidVolume(`Volume ${v.id} is already attached and is not multiattach.`);
    }
    if (instance && live.some((a) => a.instance_uuid === instance)) {
      throw new InvalidVolume(`Volume ${v.id} is already attached to instance ${instance}.`);
    }
  }

  async create(
    caller: Caller,
    input: {
      volume_uuid: string;
      instance_uuid?: string | null;
      connector?: Record<string, unknown> | null;
      mode?: string;
    },
  ): Promise<AttachmentRecord> {
    const v = await this.volumes.get(caller, input.volume_uuid);
    const mode = (input.mode ?? (v.readonly ? 'ro' : 'rw')) as 'rw' | 'ro';
    if (!['rw', 'ro'].includes(mode))
      throw new CinderInvalid(`Invalid attach mode ${mode}: must be rw or ro.`);
    if (v.readonly && mode === 'rw')
      throw new InvalidVolume('Invalid attaching mode rw for a readonly volume.');
    await this.checkAttachable(v, input.instance_uuid ?? null);
    const now = cinderTime();
    const a: AttachmentRecord = {
      id: randomUUID(),
      project_id: v.project_id,
      volume_id: v.id,
      status: 'reserved',
      instance_uuid: input.instance_uuid ?? null,
      attached_host: null,
      mountpoint: null,
      attach_mode: mode,
      attach_time: null,
      detach_time: null,
      connector: null,
      connection_info: null,
      created_at: now,
      updated_at: now,
    };
    await this.stores.attachments.insert(a);
    await this.stores.volumes.update(v.id, (cur) => ({
      status: cur.status === 'in-use' ? 'in-use' : 'reserved',
      updated_at: now,
    }));
    if (input.connector) return this.update(caller, a.id, input.connector);
    return a;
  }

  /** Gives the attachment a connector and answers the connection info (`attaching`). */
  async update(caller: Caller, id: string, connector: Record<string, unknown>): Promise<AttachmentRecord> {
    const a = await this.get(caller, id);
    const v = await this.volumes.get(caller, a.volume_id);
    if (!v.host) throw new InvalidVolume('Volume has no backend.');
    const info = await this.rpc.volume.call.initialize_connection(
      rpcContext(caller),
      { volume_id: v.id, connector },
      { server: serverOf(v.host) },
    );
    const data = { ...((info.data as Record<string, unknown>) ?? {}), access_mode: a.attach_mode };
    const connection_info = { ...info, data, attachment_id: a.id, ...data };
    const updated = await this.stores.attachments.update(id, () => ({
      status: 'attaching',
      connector,
      attached_host: String(connector.host ?? '') || null,
      mountpoint: typeof connector.mountpoint === 'string' ? connector.mountpoint : null,
      connection_info,
      updated_at: cinderTime(),
    }));
    await this.stores.volumes.update(v.id, (cur) => ({
      status: cur.status === 'in-use' ? 'in-use' : 'attaching',
      attach_status: cur.attach_status === 'attached' ? 'attached' : 'attaching',
    }));
    if (!updated) throw new CinderNotFound('VolumeAttachment', id);
    return updated;
  }

  async complete(caller: Caller, id: string): Promise<void> {
    const a = await this.get(caller, id);
    await this.stores.attachments.update(id, () => ({ status: 'attached', attach_time: cinderTime() }));
    await this.stores.volumes.update(a.volume_id, () => ({
      status: 'in-use',
      attach_status: 'attached',
      updated_at: cinderTime(),
    }));
  }

  /** Ends an attachment; the volume goes back to available when it was the last. */
  async delete(caller: Caller, id: string): Promise<AttachmentRecord> {
    const a = await this.get(caller, id);
    const v = await this.stores.volumes.get(a.volume_id);
    if (v?.host && a.connector) {
      await this.rpc.volume.call.terminate_connection(
        rpcContext(caller),
        { volume_id: v.id, connector: a.connector },
        { server: serverOf(v.host) },
      );
    }
    await this.stores.attachments.delete(id);
    const rest = await this.liveAttachments(a.volume_id);
    await this.stores.volumes.update(a.volume_id, () =>
      rest.length
        ? {
            status: rest.some((x) => x.status === 'attached') ? 'in-use' : 'reserved',
            updated_at: cinderTime(),
          }
        : { status: 'available', attach_status: 'detached', updated_at: cinderTime() },
    );
    return { ...a, status: 'detached' };
  }

  // Legacy actions.

  async reserve(caller: Caller, volumeId: string): Promise<void> {
    const v = await this.volumes.get(caller, volumeId);
    const from = v.multiattach ? ['available', 'in-use'] : ['available'];
    await this.volumes.transition(
      volumeId,
      from,
      { status: 'attaching', previous_status: v.status },
      (cur) =>
        `Volume status must be ${from.join(' or ')} to reserve, but the current status is ${cur.status}.`,
    );
  }

  async unreserve(caller: Caller, volumeId: string): Promise<void> {
    await this.volumes.get(caller, volumeId);
    const live = await this.liveAttachments(volumeId);
    await this.volumes.transition(
      volumeId,
      ['attaching'],
      { status: live.some((a) => a.status === 'attached') ? 'in-use' : 'available' },
      (cur) => `Volume status must be attaching to unreserve, but the current status is ${cur.status}.`,
    );
  }

  async beginDetaching(caller: Caller, volumeId: string): Promise<void> {
    const v = await this.volumes.get(caller, volumeId);
    if (v.status === 'maintenance') throw new InvalidVolume('Volume is in maintenance.');
    await this.volumes.transition(
      volumeId,
      ['in-use'],
      { status: 'detaching' },
      (cur) => `Volume status must be in-use to begin detaching, but the current status is ${cur.status}.`,
    );
  }

  async rollDetaching(caller: Caller, volumeId: string): Promise<void> {
    await this.volumes.get(caller, volumeId);
    await this.stores.volumes.update(volumeId, () => ({ status: 'in-use' }), ['detaching']);
  }

  async initializeConnection(caller: Caller, volumeId: string, connector: Record<string, unknown>) {
    const v = await this.volumes.get(caller, volumeId);
    if (!v.host) throw new InvalidVolume('Volume has no backend.');
    const info = await this.rpc.volume.call.initialize_connection(
      rpcContext(caller),
      { volume_id: v.id, connector },
      { server: serverOf(v.host) },
    );
    const data = { ...((info.data as Record<string, unknown>) ?? {}), access_mode: v.readonly ? 'ro' : 'rw' };
    return { ...info, data };
  }

  async terminateConnection(caller: Caller, volumeId: string, connector: Record<string, unknown>) {
    const v = await this.volumes.get(caller, volumeId);
    if (!v.host) return;
    await this.rpc.volume.call.terminate_connection(
      rpcContext(caller),
      { volume_id: v.id, connector },
      { server: serverOf(v.host) },
    );
  }

  /** `os-attach`: records an attached attachment (the legacy flow after os-reserve). */
  async attach(
    caller: Caller,
    volumeId: string,
    input: { instance_uuid?: string | null; host_name?: string | null; mountpoint: string; mode?: string },
  ): Promise<void> {
    const v = await this.volumes.get(caller, volumeId);
    if (!input.instance_uuid && !input.host_name)
      throw new CinderInvalid('Invalid request to attach volume: an instance_uuid or host_name is needed.');
    const mode = (input.mode ?? 'rw') as 'rw' | 'ro';
    if (v.readonly && mode === 'rw')
      throw new InvalidVolume('Invalid attaching mode rw for a readonly volume.');
    if (!['attaching', 'available', 'in-use'].includes(v.status)) {
      throw new InvalidVolume(`Volume status must be attaching, but the current status is ${v.status}.`);
    }
    const now = cinderTime();
    await this.stores.attachments.insert({
      id: randomUUID(),
      project_id: v.project_id,
      volume_id: v.id,
      status: 'attached',
      instance_uuid: input.instance_uuid ?? null,
      attached_host: input.host_name ?? null,
      mountpoint: input.mountpoint,
      attach_mode: mode,
      attach_time: now,
      detach_time: null,
      connector: null,
      connection_info: null,
      created_at: now,
      updated_at: now,
    });
    await this.stores.volumes.update(v.id, (cur) => ({
      status: 'in-use',
      attach_status: 'attached',
      admin_metadata: { ...cur.admin_metadata, attached_mode: mode },
      updated_at: now,
    }));
  }

  /** `os-detach` (and the admin's `os-force_detach`): ends one attachment, or all. */
  async detach(caller: Caller, volumeId: string, attachmentId?: string, force = false): Promise<void> {
    const v = await this.volumes.get(caller, volumeId);
    if (!force && !['in-use', 'detaching'].includes(v.status)) {
      throw new InvalidVolume(
        `Volume status must be in-use or detaching to detach, but the current status is ${v.status}.`,
      );
    }
    const live = await this.liveAttachments(volumeId);
    const gone = attachmentId
      ? live.filter((a) => a.id === attachmentId)
      : live.length === 1 || force
        ? live
        : [];
    if (attachmentId && !gone.length) throw new CinderNotFound('VolumeAttachment', attachmentId);
    if (!gone.length && live.length > 1)
      throw new InvalidVolume('Volume has several attachments: name the one to detach.');
    for (const a of gone) {
      if (force && v.host) {
        await this.rpc.volume.call
          .terminate_connection(
            rpcContext(caller),
            { volume_id: v.id, connector: a.connector ?? null },
            { server: serverOf(v.host) },
          )
          .catch(() => undefined);
      }
      await this.stores.attachments.delete(a.id);
    }
    const rest = live.filter((a) => !gone.includes(a));
    await this.stores.volumes.update(volumeId, (cur) =>
      rest.length
        ? { status: 'in-use', updated_at: cinderTime() }
        : {
            status: 'available',
            attach_status: 'detached',
            admin_metadata: Object.fromEntries(
              Object.entries(cur.admin_metadata).filter(([k]) => k !== 'attached_mode'),
            ),
            updated_at: cinderTime(),
          },
    );
  }
}
