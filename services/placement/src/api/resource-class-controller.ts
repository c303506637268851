import { validateJson } from './json-validation';
import type { PlacementRequest } from './placement-request';
import { resourceClassBody } from './placement-schemas';
import { emptyReply, jsonReply, newest } from './replies';

const view = (name: string) => ({ name, links: [{ rel: 'self', href: `/resource_classes/${name}` }] });

/** GET /resource_classes (1.2). */
export async function listResourceClasses(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_classes:list');
  const list = await req.services.classes.list();
  return jsonReply(
    req,
    { resource_classes: list.map((c) => view(c.name)) },
    { lastModified: newest(list.map((c) => c.updatedAt)) },
  );
}

/** GET /resource_classes/{name} (1.2). */
export async function showResourceClass(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_classes:show');
  const rc = await req.services.classes.get(req.params.name!);
  return jsonReply(req, view(rc.name), { lastModified: rc.updatedAt });
}

/** POST /resource_classes (1.2): a CUSTOM_ class, 201. */
export async function createResourceClass(req: PlacementRequest) {
  req.authorize('placement:resource_classes:create');
  const body = await req.json<{ name: string }>(resourceClassBody);
  const rc = await req.services.classes.create(body.name);
  return emptyReply(201, { location: `${req.api.baseUrl}/resource_classes/${rc.name}` });
}

/** PUT /resource_classes/{name}: a rename up to 1.6, an idempotent create from 1.7. */
export async function putResourceClass(req: PlacementRequest) {
  if (!req.atLeast('1.7')) req.requireJson();
  req.authorize('placement:resource_classes:update');
  const name = req.params.name!;
  if (!req.atLeast('1.7')) {
    const body = await req.json<{ name: string }>(resourceClassBody);
    const rc = await req.services.classes.rename(name, body.name);
    return jsonReply(req, view(rc.name), { lastModified: rc.updatedAt });
  }
  validateJson(resourceClassBody, { name }, 'JSON does not validate: ');
  let status = 204;
  try {
    await req.services.classes.get(name);
  } catch {
    await req.services.classes.create(name).catch(() => undefined);
    status = 201;
  }
  return emptyReply(status, { location: `${req.api.baseUrl}/resource_classes/${name}` });
}

/** DELETE /resource_classes/{name}: custom and unused only. */
export async function deleteResourceClass(req: PlacementRequest) {
  req.authorize('placement:resource_classes:delete');
  await req.services.classes.delete(req.params.name!);
  return emptyReply(204);
}
