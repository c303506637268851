import { respond, route, type Route } from '@nimbus/http';
import { callerOf, collectionPage, type ImageRequest, importCallerOf } from '../image-request';
import { imageTaskView, taskStub, taskView } from './task-view';

/** Every tasks-API call needs `tasks_api_access` (admins by default) besides its own rule. */
function authorizeTasks(req: ImageRequest, rule: string): void {
  const target = { project_id: req.credentials.projectId };
  req.authorize('tasks_api_access', target);
  req.authorize(rule, target);
}

async function createTask(req: ImageRequest<{ type: string; input: Record<string, unknown> }>) {
  authorizeTasks(req, 'add_task');
  const task = await req.services.legacyImports.start(importCallerOf(req), req.body.type, req.body.input);
  return respond(201, taskView(task), { location: `/v2/tasks/${task.id}` });
}

async function listTasks(req: ImageRequest) {
  authorizeTasks(req, 'get_tasks');
  const { tasks, more } = await req.services.tasks.list(callerOf(req), req.query);
  return collectionPage(req, 'tasks', tasks, taskStub, more);
}

async function getTask(req: ImageRequest) {
  authorizeTasks(req, 'get_task');
  return taskView(await req.services.tasks.get(callerOf(req), req.params.task_id!));
}

async function imageTasks(req: ImageRequest) {
  const tasks = await req.services.tasks.forImage(callerOf(req), req.params.image_id!);
  return { tasks: tasks.map(imageTaskView) };
}

const createBody = {
  type: 'object',
  required: ['type', 'input'],
  properties: { type: { type: 'string' }, input: { type: 'object' } },
};

/** `/v2/tasks` (the tasks API) and `/v2/images/{id}/tasks` (an image's import tasks, v2.12). */
export const taskRoutes: Route[] = [
  route('POST', '/v2/tasks', createTask, { body: createBody }),
  route('GET', '/v2/tasks', listTasks),
  route('GET', '/v2/tasks/:task_id', getTask),
  route('DELETE', '/v2/tasks/:task_id', () =>
    respond(
      405,
      {
        message:
          'This operation is currently not permitted on Glance Tasks. They are auto deleted after reaching the time based on their expires_at property.',
        code: '405 Method Not Allowed',
        title: 'Method Not Allowed',
      },
      { allow: 'GET' },
    ),
  ),
  route('GET', '/v2/images/:image_id/tasks', imageTasks),
];
