import type { TaskRecord } from '../../db/repositories/task-repository';
import { glanceTime } from '../images/image-view';

/** A task as `GET /v2/tasks/{id}` shows it (input, result and message included). */
export function taskView(t: TaskRecord): Record<string, unknown> {
  return {
    ...taskStub(t),
    input: t.input,
    result: t.result,
    message: t.message,
    ...(t.imageId ? { image_id: t.imageId } : {}),
    ...(t.requestId ? { request_id: t.requestId } : {}),
    ...(t.userId ? { user_id: t.userId } : {}),
  };
}

/** A task as lists show it (no input, result or message). */
export function taskStub(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    owner: t.owner,
    created_at: glanceTime(t.createdAt),
    updated_at: glanceTime(t.updatedAt),
    ...(t.expiresAt ? { expires_at: glanceTime(t.expiresAt) } : {}),
    self: `/v2/tasks/${t.id}`,
    schema: '/v2/schemas/task',
  };
}

/** A task as `GET /v2/images/{id}/tasks` lists it: the stored record, microsecond timestamps. */
export function imageTaskView(t: TaskRecord): Record<string, unknown> {
  const time = (s: string | null) => (s ? s.replace(/Z$/, '') : null);
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    owner: t.owner,
    expires_at: time(t.expiresAt),
    created_at: time(t.createdAt),
    updated_at: time(t.updatedAt),
    deleted_at: null,
    deleted: false,
    image_id: t.imageId,
    request_id: t.requestId,
    user_id: t.userId,
    input: t.input,
    result: t.result,
    message: t.message,
  };
}
