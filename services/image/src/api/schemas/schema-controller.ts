import { route, type Route } from '@nimbus/http';
import { IMPORT_METHODS } from '../../manager/image-import';
import type { ImageRequest } from '../image-request';
import {
  imageSchema,
  imagesSchema,
  memberSchema,
  membersSchema,
  taskSchema,
  tasksSchema,
} from './schema-documents';

/** `/v2/schemas/...` and the `/v2/info/...` documents. */
export const schemaRoutes: Route[] = [
  route('GET', '/v2/schemas/image', () => imageSchema()),
  route('GET', '/v2/schemas/images', () => imagesSchema()),
  route('GET', '/v2/schemas/member', () => memberSchema()),
  route('GET', '/v2/schemas/members', () => membersSchema()),
  route('GET', '/v2/schemas/task', () => taskSchema()),
  route('GET', '/v2/schemas/tasks', () => tasksSchema()),
  route('GET', '/v2/info/import', () => ({
    'import-methods': { description: 'Import methods available.', type: 'array', value: IMPORT_METHODS },
  })),
  route('GET', '/v2/info/stores', (req: ImageRequest) => ({ stores: req.services.stores.info() })),
  route('GET', '/v2/info/stores/detail', (req: ImageRequest) => {
    req.authorize('stores_info_detail', {});
    return { stores: req.services.stores.detail() };
  }),
  // Usage against unified limits (empty where use_keystone_limits is off, as upstream).
  route('GET', '/v2/info/usage', async (req: ImageRequest) => ({
    usage: await req.services.quotas.usage(req.credentials.projectId),
  })),
];
