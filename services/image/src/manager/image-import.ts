import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { Logger } from '@nimbus/logging';
import { type ImageRecord, type ImageRepository, STAGING_STORE } from '../db/repositories/image-repository';
import type { TaskRecord, TaskRepository } from '../db/repositories/task-repository';
import type { ImageStores } from '../drivers/store/image-stores';
import type { ImageCaller } from './image-caller';
import { type ImageData, storedLocations } from './image-data';
import { badRequest, conflict } from './image-errors';
import type { ImageManager } from './image-manager';
import type { RemoteImageRef, RemoteImageSource } from './remote-image';
import type { ImportPlugin } from './import-plugins/import-plugin';
import { ImageQuotas } from './image-quotas';
import { openUri, type UrlPolicy } from './web-download';
import {
  checkGlanceDownload,
  checkImportable,
  type ImportRequest,
  targetStores,
  webDownloadUrl,
} from './import-request';

/** The import methods this cloud offers (`/v2/info/import`). */
export const IMPORT_METHODS = ['glance-direct', 'web-download', 'copy-image', 'glance-download'];

/** Who started an import, for its task record and for calls made on their behalf. */
export interface ImportCaller extends ImageCaller {
  userId: string;
  roles: readonly string[];
  requestId: string;
  token: string;
}

const IMPORTING = 'os_glance_importing_to_stores';
const FAILED = 'os_glance_failed_import';
const LOCK = 'os_glance_import_task';
/** A lock older than this, held by a task that is not running here, may be taken over. */
const LOCK_EXPIRY_MS = 60 * 60_000;

/** A comma-separated store list property with stores added or taken away (sorted, as upstream). */
function mergeStores(value: string | undefined, stores: readonly string[], subtract = false): string {
  const set = new Set((value ?? '').split(',').filter(Boolean));
  for (const s of stores) subtract ? set.delete(s) : set.add(s);
  return [...set].sort().join(',');
}

/**
 * The interoperable image import. `PUT /stage` stores the data in the staging area (queued →
 * uploading). `POST /import` checks the request, takes the image's import lock
 * (`os_glance_import_task`), records an `api_image_import` task and answers 202; the work goes on
 * in the background: the data (staged, fetched from a URL, from another Glance, or an existing
 * copy for `copy-image`) goes through hashing and format inspection into the first store and is
 * copied to the others. `os_glance_importing_to_stores` lists the stores still to do and
 * `os_glance_failed_import` those that failed. With `all_stores_must_succeed` (the default) a
 * failure undoes every store's copy and returns the image to queued; without it, the image turns
 * active with the first store that succeeds. The task ends in success or failure with the reason.
 */
export class ImageImport {
  /** Tasks running in this process (their locks are never stale). */
  private readonly running = new Set<string>();

  constructor(
    private readonly manager: ImageManager,
    private readonly images: ImageRepository,
    private readonly tasks: TaskRepository,
    private readonly stores: ImageStores,
    private readonly data: ImageData,
    private readonly remote: RemoteImageSource,
    private readonly log: Logger,
    private readonly urlPolicy: UrlPolicy,
    private readonly taskTtlHours: number,
    private readonly plugins: readonly ImportPlugin[] = [],
    private readonly quotas?: ImageQuotas,
  ) {}

  async stage(caller: ImageCaller, id: string, body: Readable): Promise<void> {
    const image = await this.manager.getOwned(caller, id, 'stage data for');
    if (image.status !== 'queued')
      throw conflict(`Image status transition from ${image.status} to uploading is not allowed`);
    await this.quotas?.enforce(image.owner, { image_stage_total: 0, image_count_uploading: 1 });
    const staged = await this.stores.staging.add(id, body);
    const moved = await this.images.transition(
      id,
      ['queued'],
      'uploading',
      { size: staged.size },
      { store: STAGING_STORE, url: staged.location },
    );
    if (!moved) {
      await this.stores.staging.delete(staged.location);
      throw conflict(`Image status transition from ${image.status} to uploading is not allowed`);
    }
  }

  /**
   * Checks and starts an import; resolves once accepted (202) with the task, or undefined when a
   * `copy-image` to all stores finds nothing to copy. `headerStore` is `X-Image-Meta-Store`.
   */
  async start(
    caller: ImportCaller,
    id: string,
    req: ImportRequest,
    headerStore?: string,
  ): Promise<TaskRecord | undefined> {
    const method = req.method.name;
    if (!IMPORT_METHODS.includes(method)) throw badRequest(`Unknown import method name '${method}'.`);
    const image = await this.manager.get(caller, id);
    checkImportable(image, method);
    if (method !== 'copy-image') await this.manager.getOwned(caller, id, 'import data to');
    if (method === 'glance-download') checkGlanceDownload(req);
    await this.quotas?.enforce(image.owner, { image_size_total: 0 });
    const lock = image.properties[LOCK];
    if (lock && !(await this.lockIsStale(lock)))
      throw conflict(`Image ${id} could not be imported: it is locked by task ${lock}`);

    let stores = targetStores(req, headerStore, this.stores);
    if (method === 'copy-image') {
      const present = new Set(storedLocations(image).map((l) => l.store));
      if (req.all_stores) {
        stores = stores.filter((s) => !present.has(s));
        if (!stores.length) return undefined;
      } else {
        const already = stores.find((s) => present.has(s));
        if (already) throw badRequest(`Image is already present at store '${already}'`);
      }
    }
    const url = method === 'web-download' ? webDownloadUrl(req, this.urlPolicy) : undefined;

    const task = await this.tasks.create({
      id: randomUUID(),
      type: 'api_image_import',
      status: 'pending',
      owner: caller.projectId ?? image.owner ?? '',
      imageId: id,
      requestId: caller.requestId,
      userId: caller.userId,
      input: { image_id: id, import_req: req, backend: stores },
      message: '',
    });
    const properties = {
      ...image.properties,
      [LOCK]: task.id,
      [IMPORTING]: mergeStores(image.properties[IMPORTING], stores),
      [FAILED]: mergeStores(image.properties[FAILED], stores, true),
    };
    if (method !== 'copy-image' && !(await this.images.transition(id, [image.status], 'importing'))) {
      await this.tasks.update(
        task.id,
        { status: 'failure', message: 'Image changed status' },
        this.taskTtlHours,
      );
      throw conflict(`Image status transition from ${image.status} to importing is not allowed`);
    }
    await this.images.update(id, { properties });
    this.running.add(task.id);
    void this.run(task, caller, method, stores, req, url).finally(() => this.running.delete(task.id));
    return task;
  }

  /** Whether a lock may be taken over: its task is gone, or finished or stuck for an hour, and not running here. */
  private async lockIsStale(taskId: string): Promise<boolean> {
    if (this.running.has(taskId)) return false;
    const task = await this.tasks.get(taskId);
    if (!task) return true;
    return Date.now() - Date.parse(task.updatedAt) >= LOCK_EXPIRY_MS * (task.status === 'pending' ? 2 : 1);
  }

  private async run(
    task: TaskRecord,
    caller: ImportCaller,
    method: string,
    stores: readonly string[],
    req: ImportRequest,
    url: URL | undefined,
  ): Promise<void> {
    const id = task.imageId!;
    const mustSucceed = req.all_stores_must_succeed ?? true;
    await this.tasks.update(task.id, { status: 'processing' }, this.taskTtlHours);
    const done: string[] = [];
    const failed: string[] = [];
    let failure: unknown;
    const before = await this.images.get(id);
    try {
      // As upstream's flow: glance-direct will store the staged bytes; the other methods stage first.
      const mib = ImageQuotas.mib(before?.size);
      if (method === 'glance-direct') await this.quotas?.enforce(before?.owner, { image_size_total: mib });
      else await this.quotas?.enforce(before?.owner, { image_stage_total: mib, image_count_uploading: 0 });
      if (method === 'copy-image') {
        for (const store of stores) {
          try {
            await this.data.copyTo(id, store);
            done.push(store);
          } catch (err) {
            failed.push(store);
            failure ??= err;
            this.log.warn({ err, imageId: id, store }, 'copy-image to a store failed');
          }
          await this.updateStores(id, [store], failed.includes(store));
        }
        if (mustSucceed && failed.length) throw failure;
      } else {
        const staged = await this.staged(id, caller, method, req, url);
        await this.runPlugins(id, staged, caller);
        // The image turns active with its first store, unless every store must succeed first.
        const activateFirst = !mustSucceed || stores.length === 1;
        for (const store of stores) {
          try {
            if (!done.length) {
              const data = await this.stores.staging.get(staged);
              await this.data.storeFrom(id, data, 'importing', store, activateFirst);
            } else await this.data.copyTo(id, store);
            done.push(store);
          } catch (err) {
            failed.push(store);
            failure ??= err;
            this.log.warn({ err, imageId: id, store }, 'image import to a store failed');
            if (mustSucceed) throw err;
          }
          await this.updateStores(id, [store], failed.includes(store));
        }
        if (!done.length) throw failure;
        if (!activateFirst && !(await this.images.transition(id, ['importing'], 'active')))
          throw conflict(`Image ${id} is gone`);
      }
      await this.tasks.update(task.id, { status: 'success', result: { image_id: id } }, this.taskTtlHours);
    } catch (err) {
      if (method !== 'copy-image')
        await this.undo(id, done, method === 'glance-download' ? before : undefined).catch(
          (undoErr: unknown) => {
            // The task still fails with the import's own error; the image may be left importing.
            this.log.error(
              { err: undoErr, imageId: id, taskId: task.id },
              'could not undo a failed image import',
            );
          },
        );
      await this.updateStores(
        id,
        stores.filter((s) => !failed.includes(s) && !done.includes(s)),
        false,
      );
      await this.updateStores(id, failed.length ? failed : stores.filter((s) => !done.includes(s)), true);
      await this.tasks.update(
        task.id,
        { status: 'failure', message: String((err as Error)?.message ?? err) },
        this.taskTtlHours,
      );
    } finally {
      await this.release(id, task.id);
    }
  }

  /** The staging location of the data to import, fetching it first for the download methods. */
  private async staged(
    id: string,
    caller: ImportCaller,
    method: string,
    req: ImportRequest,
    url: URL | undefined,
  ): Promise<string> {
    if (method === 'glance-direct') {
      const staged = (await this.images.get(id))?.locations.find((l) => l.store === STAGING_STORE);
      if (!staged) throw conflict(`Image ${id} has no staged data`);
      return staged.url;
    }
    let body: Readable;
    if (method === 'web-download') body = await openUri(url!, this.urlPolicy);
    else {
      const remote = await this.remote.open(caller.token, req.method as RemoteImageRef);
      const image = await this.images.get(id);
      if (!image) throw conflict(`Image ${id} is gone`);
      await this.images.update(id, {
        diskFormat: remote.diskFormat,
        containerFormat: remote.containerFormat,
        properties: { ...image.properties, ...remote.properties },
      });
      body = remote.data;
    }
    const staged = await this.stores.staging.add(id, body);
    if (!(await this.images.addLocation(id, { store: STAGING_STORE, url: staged.location }))) {
      await this.stores.staging.delete(staged.location);
      throw conflict(`Image ${id} is gone`);
    }
    return staged.location;
  }

  /** Runs the import plugins, in order, on the staged file. */
  private async runPlugins(id: string, staged: string, caller: ImportCaller): Promise<void> {
    const path = fileURLToPath(staged);
    for (const plugin of this.plugins) {
      const image = await this.images.get(id);
      if (!image) throw conflict(`Image ${id} is gone`);
      await plugin.run({
        image,
        path,
        roles: caller.roles,
        update: (changes) => this.images.update(id, changes),
      });
    }
  }

  /** Undoes a failed import: the stores' copies go, the image returns to queued without data. */
  private async undo(id: string, stores: readonly string[], original?: ImageRecord): Promise<void> {
    const image = await this.images.get(id);
    if (!image) return;
    for (const store of stores)
      await this.data.deleteFrom(image, store).catch((err: unknown) => {
        this.log.warn({ err, imageId: id, store }, 'data of a failed import left behind in its store');
      });
    await this.images.transition(id, ['importing'], 'queued', {
      size: null,
      virtualSize: null,
      checksum: null,
      osHashAlgo: null,
      osHashValue: null,
    });
    // glance-download wrote the remote image's properties and formats first: put them back.
    if (original)
      await this.images.update(id, {
        diskFormat: original.diskFormat,
        containerFormat: original.containerFormat,
        properties: {
          ...original.properties,
          ...(image.properties[LOCK] ? { [LOCK]: image.properties[LOCK] } : {}),
        },
      });
  }

  /** Takes stores off the importing list, onto the failed list when `failed`. */
  private async updateStores(id: string, stores: readonly string[], failed: boolean): Promise<void> {
    const image = await this.images.get(id);
    if (!image || !stores.length) return;
    const p: Record<string, string> = {
      ...image.properties,
      [IMPORTING]: mergeStores(image.properties[IMPORTING], stores, true),
    };
    if (failed) p[FAILED] = mergeStores(p[FAILED], stores);
    await this.images.update(id, { properties: p });
  }

  /** Drops the import lock and the staged data. */
  private async release(id: string, taskId: string): Promise<void> {
    const image = await this.images.get(id);
    if (!image) return;
    const staged = image.locations.find((l) => l.store === STAGING_STORE);
    if (staged && (await this.images.removeLocation(id, STAGING_STORE)))
      await this.stores.staging.delete(staged.url).catch((err: unknown) => {
        this.log.warn({ err, imageId: id }, 'staged image data left behind');
      });
    const fresh = await this.images.get(id);
    if (fresh?.properties[LOCK] !== taskId) return;
    const { [LOCK]: _lock, ...rest } = fresh.properties;
    await this.images.update(id, { properties: rest });
  }
}
