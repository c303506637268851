import { randomUUID } from 'node:crypto';
import type { Stores } from '../db/stores';
import type { MessageRecord } from '../db/records';
import type { Caller } from './caller';
import { CinderNotFound } from './cinder-errors';
import { cinderTime } from './clock';

/** Upstream's user message events: id, action and detail wording. */
export const MESSAGE_EVENTS = {
  scheduleAllocateVolume: { action: '001', actionText: 'schedule allocate volume' },
  attachVolume: { action: '002', actionText: 'attach volume' },
  copyVolumeToImage: { action: '003', actionText: 'copy volume to image' },
  updateAttachment: { action: '004', actionText: 'update attachment' },
  copyImageToVolume: { action: '005', actionText: 'copy image to volume' },
  unmanageVolume: { action: '006', actionText: 'unmanage volume' },
  extendVolume: { action: '007', actionText: 'extend volume' },
  createVolumeFromBackend: { action: '008', actionText: 'create volume from backend storage' },
  snapshotCreate: { action: '009', actionText: 'create snapshot' },
  snapshotDelete: { action: '010', actionText: 'delete snapshot' },
  backupCreate: { action: '013', actionText: 'create backup' },
  backupDelete: { action: '014', actionText: 'delete backup' },
  backupRestore: { action: '015', actionText: 'restore backup' },
} as const;

/** Upstream's detail ids and texts. */
export const MESSAGE_DETAILS = {
  unknownError: { detail: '001', text: 'An unknown error occurred.' },
  driverNotInitialized: { detail: '002', text: 'Driver is not initialized at present.' },
  noBackend: { detail: '003', text: 'Could not find any available weighted backend.' },
  failedToUploadVolume: { detail: '004', text: 'Failed to upload volume to image at backend.' },
  volumeAttachModeInvalid: { detail: '005', text: 'Volume attach mode invalid.' },
  quotaExceed: { detail: '006', text: 'Not enough quota resource for operation.' },
  notEnoughSpaceForImage: { detail: '007', text: 'Image used for creating volume exceeds available space.' },
  unmanageEncVolumeUnsupported: { detail: '008', text: 'Unmanaging encrypted volumes is not supported.' },
  notifyComputeServiceFailed: { detail: '009', text: 'Compute service failed to extend volume.' },
  driverFailedExtend: { detail: '010', text: 'Volume Driver failed to extend volume.' },
  imageFormatUnacceptable: { detail: '013', text: 'Image format unacceptable.' },
  driverFailedCreate: { detail: '016', text: 'Driver failed to create the volume.' },
  snapshotCreateError: { detail: '017', text: 'Snapshot failed to create.' },
  snapshotDeleteError: { detail: '019', text: 'Snapshot failed to delete.' },
  backupCreateError: { detail: '024', text: 'Backup service failed to create backup.' },
  backupDeleteError: { detail: '029', text: 'Backup service failed to delete backup.' },
  backupRestoreError: { detail: '026', text: 'Backup service failed to restore backup.' },
} as const;

type Event = (typeof MESSAGE_EVENTS)[keyof typeof MESSAGE_EVENTS];
type Detail = (typeof MESSAGE_DETAILS)[keyof typeof MESSAGE_DETAILS];

/** User messages (3.3): why an asynchronous operation failed, in upstream's event vocabulary. */
export class MessageManager {
  constructor(
    private readonly stores: Stores,
    private readonly ttlSeconds: number,
  ) {}

  /** Records an error message about a resource (never fails the caller). */
  async record(input: {
    projectId: string;
    requestId: string;
    resourceType: 'VOLUME' | 'VOLUME_SNAPSHOT' | 'VOLUME_BACKUP' | 'GROUP';
    resourceId: string | null;
    event: Event;
    detail: Detail;
  }): Promise<void> {
    const now = new Date();
    const record: MessageRecord = {
      id: randomUUID(),
      project_id: input.projectId,
      request_id: input.requestId,
      resource_type: input.resourceType,
      resource_uuid: input.resourceId,
      event_id: `VOLUME_${input.resourceType}_${input.event.action}_${input.detail.detail}`,
      message_level: 'ERROR',
      user_message: `${input.event.actionText}: ${input.detail.text}`,
      created_at: cinderTime(now),
      expires_at: cinderTime(new Date(now.getTime() + this.ttlSeconds * 1000)),
    };
    await this.stores.messages.insert(record).catch(() => undefined);
  }

  async list(caller: Caller): Promise<MessageRecord[]> {
    const now = cinderTime();
    const all = await this.stores.messages.list(caller.isAdmin ? {} : { projectId: caller.projectId });
    return all.filter((m) => m.expires_at > now);
  }

  async get(caller: Caller, id: string): Promise<MessageRecord> {
    const m = await this.stores.messages.get(id);
    if (!m || (!caller.isAdmin && m.project_id !== caller.projectId)) throw new CinderNotFound('Message', id);
    return m;
  }

  async delete(caller: Caller, id: string): Promise<void> {
    await this.get(caller, id);
    await this.stores.messages.delete(id);
  }
}
