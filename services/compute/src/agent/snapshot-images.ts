import { type ImageClient, RemoteServiceError } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import { DriverError } from '../drivers/driver-api';

/** The agent's image-service side of snapshots: uploads, backup rotation, shelved images dropped. */
export class SnapshotImages {
  constructor(
    private readonly image: (() => ImageClient) | undefined,
    private readonly logger: Logger,
  ) {}

  /** Uploads snapshot data; an image deleted meanwhile (404, 409) is not the guest's failure. */
  async upload(imageId: string, data: Buffer): Promise<void> {
    if (!this.image) throw new DriverError('No image API to upload the snapshot to', false);
    try {
      await this.image().uploadImage(imageId, data);
    } catch (err) {
      if (
        err instanceof RemoteServiceError &&
        (err.httpStatus === 404 || err.httpStatus === 409 || err.httpStatus === 410)
      ) {
        this.logger.info({ image: imageId }, 'compute: the snapshot image went away during upload');
        return;
      }
      throw err;
    }
  }

  /** Deletes this server's backups of `type` beyond the `rotation` newest (createBackup). */
  async rotateBackups(uuid: string, newest: string, type: string, rotation: number): Promise<void> {
    if (!this.image) return;
    const image = this.image();
    const { images } = await image.listImages({
      instance_uuid: uuid,
      image_type: 'backup',
      backup_type: type,
      sort_key: 'created_at',
      sort_dir: 'desc',
      limit: 1000,
    });
    // The filter is asked of the image API and checked here too (it may not filter on properties).
    const backups = images
      .filter((i) => i.instance_uuid === uuid && i.image_type === 'backup' && i.backup_type === type)
      // Newest first; the one just made leads (creation times tie within a second).
      .sort((a, b) =>
        a.id === newest ? -1 : b.id === newest ? 1 : String(b.created_at).localeCompare(String(a.created_at)),
      );
    for (const old of backups.slice(rotation)) {
      this.logger.info({ instance: uuid, image: old.id }, 'compute: rotating out an old backup');
      try {
        await image.deleteImage(old.id);
      } catch (err) {
        this.logger.warn({ err, image: old.id }, 'compute: could not rotate out a backup');
      }
    }
  }

  /** Deletes the shelved snapshot once the server runs again (best effort, as Nova). */
  async drop(imageId: string | undefined): Promise<void> {
    if (!imageId || !this.image) return;
    try {
      await this.image().deleteImage(imageId);
    } catch (err) {
      this.logger.warn({ err, image: imageId }, 'compute: could not delete the shelved image');
    }
  }
}
