import type { Readable } from 'node:stream';
import type { Logger } from '@nimbus/logging';
import type { ImageRepository } from '../db/repositories/image-repository';
import type { ImageStore } from '../drivers/store/store-api';
import type { ImageCaller } from './image-caller';
import type { ImageData } from './image-data';
import type { ImageRecord } from '../db/repositories/image-repository';
import { badRequest, conflict } from './image-errors';
import { checkUri, openUri, type UrlPolicy } from './web-download';
import type { ImageManager } from './image-manager';

/** The import methods this cloud offers (`/v2/info/import`). */
export const IMPORT_METHODS = ['glance-direct', 'web-download'];

/**
 * The interoperable image import: `PUT /stage` stores the data in the staging area (queued →
 * uploading), `POST /import` with `glance-direct` answers 202 and moves it into the store through
 * the same hashing and format inspection as a direct upload (uploading → importing → active);
 * `web-download` fetches a URL that passes the filtering policy into staging first.
 * A failed import returns the image to queued with `os_glance_failed_import` naming the store,
 * and keeps no data, as upstream reports it.
 */
export class ImageImport {
  constructor(
    private readonly manager: ImageManager,
    private readonly images: ImageRepository,
    private readonly staging: ImageStore,
    private readonly data: ImageData,
    private readonly storeId: string,
    private readonly log: Logger,
    private readonly urlPolicy: UrlPolicy,
  ) {}

  async stage(caller: ImageCaller, id: string, body: Readable): Promise<void> {
    const image = await this.manager.getOwned(caller, id, 'stage data for');
    if (image.status !== 'queued')
      throw conflict(`Image status transition from ${image.status} to uploading is not allowed`);
    const staged = await this.staging.add(id, body);
    if (
      !(await this.images.transition(id, ['queued'], 'uploading', {
        size: staged.size,
        location: staged.location,
      }))
    ) {
      await this.staging.delete(staged.location);
      throw conflict(`Image status transition from ${image.status} to uploading is not allowed`);
    }
  }

  /** Starts an import; resolves once accepted (202), the work goes on in the background. */
  async start(caller: ImageCaller, id: string, method: string, uri?: string): Promise<void> {
    const image = await this.manager.getOwned(caller, id, 'import data to');
    if (!IMPORT_METHODS.includes(method)) throw badRequest(`Unknown import method name '${method}'.`);
    if (image.status === 'active') throw conflict('Image with status active cannot be target for import');
    if (method === 'web-download') return this.startWebDownload(image, uri);
    if (image.status !== 'uploading' || !image.location)
      throw conflict("Image needs to be staged before 'glance-direct' method can be used");
    if (!image.containerFormat) throw badRequest("'container_format' needs to be set before import");
    if (!image.diskFormat) throw badRequest("'disk_format' needs to be set before import");
    const stagedAt = image.location;
    const properties: Record<string, string> = {
      ...image.properties,
      os_glance_importing_to_stores: this.storeId,
    };
    delete properties.os_glance_failed_import;
    if (!(await this.images.transition(id, ['uploading'], 'importing')))
      throw conflict('Image is already being imported');
    await this.images.update(id, { properties });
    void this.run(id, stagedAt);
  }

  /** web-download: checks the URI now, then fetches it into staging and imports it in the background. */
  private async startWebDownload(image: ImageRecord, uri: string | undefined): Promise<void> {
    if (!uri) throw badRequest("'uri' needs to be set for the web-download method");
    const url = checkUri(uri, this.urlPolicy);
    if (image.status !== 'queued')
      throw conflict("Image needs to be in 'queued' state to use 'web-download' method");
    if (!image.containerFormat) throw badRequest("'container_format' needs to be set before import");
    if (!image.diskFormat) throw badRequest("'disk_format' needs to be set before import");
    const properties: Record<string, string> = {
      ...image.properties,
      os_glance_importing_to_stores: this.storeId,
    };
    delete properties.os_glance_failed_import;
    if (!(await this.images.transition(image.id, ['queued'], 'importing')))
      throw conflict('Image is already being imported');
    await this.images.update(image.id, { properties });
    void (async () => {
      let stagedAt: string | undefined;
      try {
        stagedAt = (await this.staging.add(image.id, await openUri(url, this.urlPolicy))).location;
      } catch (err) {
        this.log.warn({ err, imageId: image.id }, 'web-download failed');
        await this.images.transition(image.id, ['importing'], 'queued').catch(() => undefined);
        await this.finish(image.id, { os_glance_failed_import: this.storeId });
        return;
      }
      await this.run(image.id, stagedAt);
    })();
  }

  private async run(id: string, stagedAt: string): Promise<void> {
    try {
      await this.data.storeFrom(id, await this.staging.get(stagedAt), 'importing');
      await this.finish(id, {});
    } catch (err) {
      this.log.warn({ err, imageId: id }, 'image import failed');
      await this.images
        .transition(id, ['importing'], 'queued', { location: null, size: null })
        .catch(() => undefined);
      await this.finish(id, { os_glance_failed_import: this.storeId });
    } finally {
      await this.staging.delete(stagedAt).catch(() => undefined);
    }
  }

  private async finish(id: string, extra: Record<string, string>): Promise<void> {
    const image = await this.images.get(id);
    if (!image) return;
    await this.images.update(id, {
      properties: { ...image.properties, os_glance_importing_to_stores: '', ...extra },
    });
  }
}
