import { randomUUID } from 'node:crypto';
import type { Logger } from '@nimbus/logging';
import type { ImageRepository } from '../db/repositories/image-repository';
import type { TaskRecord, TaskRepository } from '../db/repositories/task-repository';
import type { ImageStores } from '../drivers/store/image-stores';
import type { ImageData } from './image-data';
import { badRequest, conflict } from './image-errors';
import type { ImportCaller } from './image-import';
import type { ImageManager } from './image-manager';
import { checkUri, openUri, type UrlPolicy } from './web-download';

/**
 * The tasks API's own (legacy) `import` task (`POST /v2/tasks`): creates an image from
 * `image_properties` and fills it from `import_from`, a URL that passes the same filtering as
 * web-download. Answers with the pending task; the image turns active, or killed with the task
 * failing.
 */
export class LegacyImportTasks {
  constructor(
    private readonly manager: ImageManager,
    private readonly images: ImageRepository,
    private readonly tasks: TaskRepository,
    private readonly stores: ImageStores,
    private readonly data: ImageData,
    private readonly log: Logger,
    private readonly urlPolicy: UrlPolicy,
    private readonly taskTtlHours: number,
  ) {}

  async start(caller: ImportCaller, type: string, input: Record<string, unknown>): Promise<TaskRecord> {
    if (type !== 'import') throw badRequest(`Task type ${type} is not supported by the tasks API`);
    for (const field of ['import_from', 'import_from_format', 'image_properties'])
      if (input[field] === undefined) throw badRequest(`Input does not contain '${field}' field`);
    if (typeof input.import_from !== 'string') throw badRequest("'import_from' must be a URL");
    if (typeof input.image_properties !== 'object' || input.image_properties === null)
      throw badRequest("'image_properties' must be an object");
    const url = checkUri(input.import_from, this.urlPolicy);
    const task = await this.tasks.create({
      id: randomUUID(),
      type,
      status: 'pending',
      owner: caller.projectId ?? '',
      imageId: null,
      requestId: caller.requestId,
      userId: caller.userId,
      input,
      message: '',
    });
    const properties = { disk_format: input.import_from_format, ...(input.image_properties as object) };
    void this.run(task, caller, url, properties);
    return task;
  }

  private async run(task: TaskRecord, caller: ImportCaller, url: URL, properties: Record<string, unknown>) {
    await this.tasks.update(task.id, { status: 'processing' }, this.taskTtlHours);
    let imageId: string | undefined;
    try {
      const image = await this.manager.create(caller, properties);
      imageId = image.id;
      if (!(await this.images.transition(image.id, ['queued'], 'importing')))
        throw conflict('Image changed status');
      const staged = await this.stores.staging.add(image.id, await openUri(url, this.urlPolicy));
      try {
        const data = await this.stores.staging.get(staged.location);
        await this.data.storeFrom(image.id, data, 'importing', this.stores.defaultId, true);
      } finally {
        await this.stores.staging.delete(staged.location).catch((err: unknown) => {
          this.log.warn({ err, imageId: image.id, taskId: task.id }, 'staged image data left behind');
        });
      }
      await this.tasks.update(
        task.id,
        { status: 'success', result: { image_id: image.id } },
        this.taskTtlHours,
      );
    } catch (err) {
      this.log.warn({ err, taskId: task.id }, 'import task failed');
      if (imageId)
        await this.images.transition(imageId, ['importing'], 'killed').catch((killErr: unknown) => {
          this.log.error(
            { err: killErr, imageId, taskId: task.id },
            'could not mark the image of a failed import killed',
          );
        });
      const message = String((err as Error)?.message ?? err);
      await this.tasks
        .update(task.id, { status: 'failure', message }, this.taskTtlHours)
        .catch((updateErr: unknown) => {
          this.log.error({ err: updateErr, taskId: task.id }, 'could not record a failed import task');
        });
    }
  }
}
