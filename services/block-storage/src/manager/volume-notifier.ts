import type { Notifier } from '@nimbus/bus';
import type { Logger } from '@nimbus/logging';
import type { SnapshotRecord, VolumeRecord } from '../db/records';
import type { Caller } from './caller';
import { rpcContext } from './caller';

/**
 * Cinder's volume and snapshot notifications (`volume.create.start`, `snapshot.delete.end`...)
 * with upstream's usage payload, on the `cinder` control exchange. A bus failure is logged,
 * never fails the operation (upstream's behaviour).
 */
export class VolumeNotifier {
  constructor(
    private readonly notifier: Notifier | undefined,
    private readonly logger: Logger,
  ) {}

  volume(caller: Caller, v: VolumeRecord, event: string): void {
    this.send(caller, `volume.${event}`, {
      tenant_id: v.project_id,
      user_id: v.user_id,
      volume_id: v.id,
      display_name: v.name,
      size: v.size,
      availability_zone: v.availability_zone,
      status: v.status,
      volume_type: v.volume_type_id,
      host: v.host,
      created_at: v.created_at,
      launched_at: v.launched_at ?? '',
      snapshot_id: v.snapshot_id,
      replication_status: null,
      metadata: Object.entries(v.metadata).map(([key, value]) => ({ key, value })),
      volume_attachment: [],
      glance_metadata: v.image_metadata,
    });
  }

  snapshot(caller: Caller, s: SnapshotRecord, event: string): void {
    this.send(caller, `snapshot.${event}`, {
      tenant_id: s.project_id,
      user_id: s.user_id,
      snapshot_id: s.id,
      display_name: s.name,
      volume_id: s.volume_id,
      volume_size: s.volume_size,
      status: s.status,
      created_at: s.created_at,
      metadata: s.metadata,
    });
  }

  private send(caller: Caller, eventType: string, payload: unknown): void {
    if (!this.notifier) return;
    this.notifier.info(rpcContext(caller), eventType, payload).catch((err: unknown) => {
      this.logger.warn({ err, eventType }, 'block-storage: notification not sent');
    });
  }
}
