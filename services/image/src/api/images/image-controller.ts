import {
  compileBodySchema,
  keystoneValidationMessage,
  respond,
  route,
  type Route,
  validateOrThrow,
} from '@nimbus/http';
import type { JsonSchema } from '@nimbus/http';
import { IMPORT_METHODS } from '../../manager/image-import';
import { parseImageQuery } from '../../manager/image-query';
import type { PatchOp } from '../../manager/image-manager';
import { badRequest, imageNotFound } from '../../manager/image-errors';
import { IMAGE_PROPERTIES } from '../schemas/image-schema-data';
import { authorizeImage, callerOf, collectionPage, type ImageRequest } from '../image-request';
import { imageView } from './image-view';

/** Create body: the schema's writable attributes; additional properties are strings (checked by the manager). */
const createBody: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(
    Object.entries(IMAGE_PROPERTIES)
      .filter(([, v]) => !(v as { readOnly?: boolean }).readOnly)
      .map(([k, v]) => {
        const { description: _d, ...rest } = v as Record<string, unknown>;
        return [k, rest];
      }),
  ),
};

/** The two JSON-patch dialects Glance accepts: `{op, path, value}` (v2.1) and `{add|replace|remove: path, value}` (v2.0). */
const PATCH_TYPES = [
  'application/openstack-images-v2.1-json-patch',
  'application/openstack-images-v2.0-json-patch',
];
/**
 * Checked in the handler, after the content type: Glance answers a PATCH of any other type 415
 * whatever its body, so the schema must not run first (it would make that a 400).
 */
const patchBody = compileBodySchema({ type: 'array', items: { type: 'object' } });

/** Normalises both dialects to `{op, path, value}`, refusing anything else (400). */
function patchOps(raw: Record<string, unknown>[], dialect: string): PatchOp[] {
  return raw.map((o) => {
    if (dialect === PATCH_TYPES[0]) {
      if (
        typeof o.op !== 'string' ||
        !['add', 'replace', 'remove'].includes(o.op) ||
        typeof o.path !== 'string'
      )
        throw badRequest(
          `Unable to find '${typeof o.op === 'string' ? 'path' : 'op'}' in JSON Schema change`,
        );
      if (o.op !== 'remove' && !('value' in o))
        throw badRequest('Operation objects must contain exactly one member named "value".');
      return { op: o.op as PatchOp['op'], path: o.path, ...('value' in o ? { value: o.value } : {}) };
    }
    const op = (['add', 'replace', 'remove'] as const).find((k) => typeof o[k] === 'string');
    if (!op) throw badRequest('Operation objects must contain one of "add", "replace" or "remove".');
    if (op !== 'remove' && !('value' in o))
      throw badRequest('Operation objects must contain exactly one member named "value".');
    return { op, path: o[op] as string, ...('value' in o ? { value: o.value } : {}) };
  });
}

async function createImage(req: ImageRequest<Record<string, unknown>>) {
  req.authorize('add_image', {
    project_id: req.credentials.projectId,
    owner: req.body.owner ?? req.credentials.projectId,
  });
  if (req.body.visibility === 'public') req.authorize('publicize_image', {});
  const image = await req.services.images.create(callerOf(req), req.body);
  // Clients read what they may do next from these headers (openstacksdk's import needs them).
  return respond(201, imageView(req.services.images.asSeenBy(callerOf(req), image)), {
    location: `${req.baseUrl}/v2/images/${image.id}`,
    'openstack-image-import-methods': IMPORT_METHODS.join(','),
    'openstack-image-store-ids': req.services.stores.ids().join(','),
  });
}

/** `/v2/images/` (an empty image id) names no image: 404, as upstream. */
function emptyId(req: ImageRequest): boolean {
  return req.path.endsWith('/');
}

async function listImages(req: ImageRequest) {
  if (emptyId(req)) throw imageNotFound('');
  req.authorize('get_images', { project_id: req.credentials.projectId });
  const caller = callerOf(req);
  // What a list shows depends on who asks (visibility, membership, readable properties) and the query.
  const key = [
    caller.projectId ?? '',
    caller.isAdmin,
    [...(caller.roles ?? [])].sort().join(','),
    req.url,
  ].join('|');
  return req.services.listCache.answer(key, async () => {
    const q = parseImageQuery(req.query, req.services.listLimits);
    const { images, more } = await req.services.images.list(caller, q);
    return collectionPage(
      req,
      'images',
      images,
      (i) => imageView(req.services.images.asSeenBy(caller, i)),
      more,
    );
  });
}

async function getImage(req: ImageRequest) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'get_image', image);
  return imageView(req.services.images.asSeenBy(callerOf(req), image));
}

async function updateImage(req: ImageRequest<Record<string, unknown>[]>) {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (!PATCH_TYPES.includes(type)) {
    return respond(
      415,
      {
        message: 'Unsupported Content-Type',
        code: '415 Unsupported Media Type',
        title: 'Unsupported Media Type',
      },
      { 'accept-patch': PATCH_TYPES.join(', ') },
    );
  }
  validateOrThrow(patchBody, req.body, keystoneValidationMessage);
  const ops = patchOps(req.body, type);
  const current = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'modify_image', current);
  if (ops.some((op) => op.path === '/visibility' && op.value === 'public'))
    req.authorize('publicize_image', {});
  const caller = callerOf(req);
  return imageView(
    req.services.images.asSeenBy(caller, await req.services.images.update(caller, req.params.image_id!, ops)),
  );
}

async function deleteImage(req: ImageRequest) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'delete_image', image);
  await req.services.images.delete(callerOf(req), image.id);
}

async function addTag(req: ImageRequest) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'modify_image', image);
  await req.services.images.addTag(callerOf(req), image.id, req.params.tag!);
}

async function deleteTag(req: ImageRequest) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'modify_image', image);
  await req.services.images.removeTag(callerOf(req), image.id, req.params.tag!);
}

const action = (active: boolean) => async (req: ImageRequest) => {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, active ? 'reactivate' : 'deactivate', image);
  await req.services.images.setActive(callerOf(req), image.id, active);
};

/** `/v2/images`, tags and actions. */
export const imageRoutes: Route[] = [
  route('POST', '/v2/images', createImage, { body: createBody }),
  route('GET', '/v2/images', listImages),
  route('GET', '/v2/images/:image_id', getImage),
  route('PATCH', '/v2/images/:image_id', updateImage),
  route('DELETE', '/v2/images/:image_id', deleteImage),
  route('DELETE', '/v2/images', (req: ImageRequest) => {
    if (emptyId(req)) throw imageNotFound('');
    return respond(
      405,
      {
        message: 'The method DELETE is not allowed for this resource.',
        code: '405 Method Not Allowed',
        title: 'Method Not Allowed',
      },
      { allow: 'GET, POST' },
    );
  }),
  route('PUT', '/v2/images/:image_id/tags/:tag', addTag),
  route('DELETE', '/v2/images/:image_id/tags/:tag', deleteTag),
  route('POST', '/v2/images/:image_id/actions/deactivate', action(false)),
  route('POST', '/v2/images/:image_id/actions/reactivate', action(true)),
];
