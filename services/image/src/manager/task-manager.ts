import { NotFoundError } from '@nimbus/errors';
import type { TaskListSpec, TaskRecord, TaskRepository } from '../db/repositories/task-repository';
import type { ImageCaller } from './image-caller';
import { badRequest } from './image-errors';
import type { ImageManager } from './image-manager';

const STATUSES = ['pending', 'processing', 'success', 'failure'];
const TYPES = ['import', 'api_image_import'];
const SORT_KEYS = ['created_at', 'updated_at', 'id', 'type', 'status'];

const taskNotFound = (id: string) =>
  new NotFoundError(`Task with the given id ${id} not found`, { code: 'IMAGE_TASK_NOT_FOUND' });

/**
 * Tasks as callers see them: a project's own (everyone's for admins), expired ones gone. The
 * tasks API lists and shows them; `/v2/images/{id}/tasks` shows an image's import tasks to
 * whoever may see the image.
 */
export class TaskManager {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly images: ImageManager,
    private readonly limits: { default: number; max: number },
  ) {}

  async get(caller: ImageCaller, id: string): Promise<TaskRecord> {
    const task = await this.tasks.get(id);
    if (!task || (!caller.isAdmin && task.owner !== caller.projectId)) throw taskNotFound(id);
    return task;
  }

  /** `GET /v2/tasks`: filters `status` and `type`, `sort_key`, `sort_dir`, `marker`, `limit`. */
  async list(
    caller: ImageCaller,
    query: Record<string, string | string[] | undefined>,
  ): Promise<{ tasks: TaskRecord[]; more: boolean }> {
    const one = (k: string) => {
      const v = query[k];
      return Array.isArray(v) ? v[v.length - 1] : v;
    };
    const sortDir = one('sort_dir') ?? 'desc';
    if (sortDir !== 'asc' && sortDir !== 'desc') throw badRequest(`Invalid sort direction: ${sortDir}`);
    const sortKey = one('sort_key') ?? 'created_at';
    if (!SORT_KEYS.includes(sortKey)) throw badRequest(`Invalid sort key: ${sortKey}.`);
    const status = one('status');
    if (status !== undefined && !STATUSES.includes(status))
      throw badRequest(`Invalid status value: ${status}`);
    const type = one('type');
    if (type !== undefined && !TYPES.includes(type)) throw badRequest(`Invalid type value: ${type}`);
    let limit = this.limits.default;
    const limitParam = one('limit');
    if (limitParam !== undefined) {
      if (!/^-?\d+$/.test(limitParam)) throw badRequest('limit param must be an integer');
      limit = Number(limitParam);
      if (limit < 0) throw badRequest('limit param must be positive');
    }
    const markerId = one('marker');
    let marker: TaskRecord | undefined;
    if (markerId !== undefined) {
      marker = await this.tasks.get(markerId);
      if (!marker || (!caller.isAdmin && marker.owner !== caller.projectId))
        throw badRequest(`Invalid marker. Task ${markerId} could not be found.`);
    }
    const spec: TaskListSpec = {
      sortKey: sortKey as TaskListSpec['sortKey'],
      sortDir,
      limit: Math.min(limit, this.limits.max),
      ...(caller.isAdmin ? {} : { owner: caller.projectId ?? '' }),
      ...(status !== undefined ? { status } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(marker ? { marker } : {}),
    };
    return this.tasks.page(spec);
  }

  /** An image's tasks; 404 when the caller may not see the image. */
  async forImage(caller: ImageCaller, imageId: string): Promise<TaskRecord[]> {
    await this.images.get(caller, imageId);
    return this.tasks.forImage(imageId);
  }
}
