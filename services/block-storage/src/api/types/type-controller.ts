import { respond } from '@nimbus/http';
import type { VolumeTypeRecord } from '../../db/records';
import { CinderInvalid, CinderNotFound } from '../../manager/cinder-errors';
import { authorize, bodyOf, callerOf, checkProject, parseBool, q, type Req } from '../cinder-request';

/** Extra specs users may see without the admin rule (upstream's user-visible keys). */
const USER_VISIBLE = ['multiattach', 'RESKEY:availability_zones', 'replication_enabled'];

function typeView(req: Req, t: VolumeTypeRecord, form: 'show' | 'create' | 'update') {
  const admin = req.allowed('volume_extension:access_types_extra_specs', {
    project_id: req.credentials.projectId ?? '',
  });
  const extra = admin
    ? t.extra_specs
    : Object.fromEntries(Object.entries(t.extra_specs).filter(([k]) => USER_VISIBLE.includes(k)));
  const view: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public,
    extra_specs: extra,
  };
  if (form !== 'update') view['os-volume-type-access:is_public'] = t.is_public;
  if (
    form === 'show' &&
    req.allowed('volume_extension:access_types_qos_specs_id', { project_id: req.credentials.projectId ?? '' })
  ) {
    view.qos_specs_id = t.qos_specs_id;
  }
  return view;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !name.trim() || name.length > 255) {
    throw new CinderInvalid(
      'Invalid input received: volume type name must be a non-empty string up to 255 characters.',
    );
  }
  return name;
}

function checkSpecs(specs: unknown): Record<string, string> {
  if (specs === undefined || specs === null) return {};
  if (typeof specs !== 'object' || Array.isArray(specs))
    throw new CinderInvalid('Invalid input received: extra_specs must be an object.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(specs as Record<string, unknown>)) {
    if (!k || k.length > 255)
      throw new CinderInvalid('Invalid input received: extra spec key length must be 1 to 255.');
    if (v === null || typeof v === 'object')
      throw new CinderInvalid(`Invalid input received: extra spec ${k} must be a string.`);
    const s = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    if (s.length > 255)
      throw new CinderInvalid('Invalid input received: extra spec value length must be at most 255.');
    out[k] = s;
  }
  return out;
}

/** `GET /types` (`is_public` filter for admins). */
export async function listTypes(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:type_get_all');
  const raw = q(req, 'is_public');
  const isPublic =
    raw === undefined || raw.toLowerCase() === 'none'
      ? raw === undefined
        ? true
        : undefined
      : parseBool(raw, 'is_public');
  let types = await req.services.types.list(callerOf(req), callerOf(req).isAdmin ? isPublic : undefined);
  const extra = q(req, 'extra_specs');
  if (extra) {
    const wanted = JSON.parse(extra.replace(/'/g, '"')) as Record<string, string>;
    types = types.filter((t) => Object.entries(wanted).every(([k, v]) => t.extra_specs[k] === String(v)));
  }
  return { volume_types: types.map((t) => typeView(req, t, 'show')) };
}

/** `GET /types/default`: the caller's project default type. */
export async function showDefaultType(req: Req) {
  checkProject(req);
  const t = await req.services.types.defaultFor(callerOf(req).projectId);
  return { volume_type: typeView(req, t, 'show') };
}

/** `GET /types/{id}`. */
export async function showType(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:type_get');
  const t = await req.services.types.find(callerOf(req), String(req.params.type_id));
  return { volume_type: typeView(req, t, 'show') };
}

/** `POST /types`. */
export async function createType(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const body = bodyOf<Record<string, unknown>>(req, 'volume_type');
  const name = checkName(body.name);
  if (
    body.description !== undefined &&
    body.description !== null &&
    (typeof body.description !== 'string' || body.description.length > 255)
  ) {
    throw new CinderInvalid('Invalid input received: description must be a string up to 255.');
  }
  const isPublic = body['os-volume-type-access:is_public'] ?? body.is_public;
  const t = await req.services.types.create({
    name,
    description: (body.description as string | null | undefined) ?? null,
    is_public: isPublic === undefined ? true : parseBool(isPublic, 'is_public'),
    extra_specs: checkSpecs(body.extra_specs),
  });
  return { volume_type: typeView(req, t, 'create') };
}

/** `PUT /types/{id}`. */
export async function updateType(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const body = bodyOf<Record<string, unknown>>(req, 'volume_type');
  if (body.name === undefined && body.description === undefined && body.is_public === undefined) {
    throw new CinderInvalid('Specify volume type name, description, is_public or a combination thereof.');
  }
  if (body.name !== undefined) checkName(body.name);
  const t = await req.services.types.update(String(req.params.type_id), {
    ...(body.name !== undefined ? { name: String(body.name) } : {}),
    ...(body.description !== undefined ? { description: body.description as string | null } : {}),
    ...(body.is_public !== undefined ? { is_public: parseBool(body.is_public, 'is_public') } : {}),
  });
  return { volume_type: typeView(req, t, 'update') };
}

/** `DELETE /types/{id}` (202). */
export async function deleteType(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const id = String(req.params.type_id);
  await req.services.types.delete(id, async (typeId) => {
    const vols = await req.services.stores.volumes.list();
    return vols.some((v) => v.volume_type_id === typeId);
  });
  return respond(202);
}

/** `GET /types/{id}/extra_specs`. */
export async function listExtraSpecs(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  return { extra_specs: t.extra_specs };
}

/** `POST /types/{id}/extra_specs`. */
export async function createExtraSpecs(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body.extra_specs !== 'object' || body.extra_specs === null) {
    throw new CinderInvalid('Malformed request body: extra_specs is missing.');
  }
  const specs = checkSpecs(body.extra_specs);
  return { extra_specs: await req.services.types.setExtraSpecs(String(req.params.type_id), specs) };
}

/** `GET /types/{id}/extra_specs/{key}`. */
export async function showExtraSpec(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  const key = String(req.params.key);
  if (!(key in t.extra_specs))
    throw new CinderNotFound('Volume Type extra spec', `${key} for volume type ${t.id}`);
  return { [key]: t.extra_specs[key] };
}

/** `PUT /types/{id}/extra_specs/{key}`: `{key: value}`, one key, matching the URL. */
export async function updateExtraSpec(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  const body = req.body as Record<string, unknown> | undefined;
  const key = String(req.params.key);
  if (!body || typeof body !== 'object') throw new CinderInvalid('Malformed request body.');
  if (Object.keys(body).length !== 1) throw new CinderInvalid('Request body contains too many items.');
  if (!(key in body)) throw new CinderInvalid('Request body and URI mismatch');
  const specs = checkSpecs(body);
  await req.services.types.setExtraSpecs(String(req.params.type_id), specs);
  return specs;
}

/** `DELETE /types/{id}/extra_specs/{key}` (202). */
export async function deleteExtraSpec(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:types_manage');
  await req.services.types.unsetExtraSpec(String(req.params.type_id), String(req.params.key));
  return respond(202);
}

/** `GET /types/{id}/os-volume-type-access`. */
export async function listTypeAccess(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_type_access');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  if (t.is_public) throw new CinderNotFound('Volume type access', `for public volume type ${t.id}`);
  return { volume_type_access: t.projects.map((p) => ({ volume_type_id: t.id, project_id: p })) };
}

/** `POST /types/{id}/action`: addProjectAccess / removeProjectAccess (202). */
export async function typeAction(req: Req) {
  checkProject(req);
  const body = req.body as Record<string, { project?: string }> | undefined;
  const id = String(req.params.type_id);
  if (body?.addProjectAccess) {
    authorize(req, 'volume_extension:volume_type_access:addProjectAccess');
    if (!body.addProjectAccess.project)
      throw new CinderInvalid('Access list not available for public volume types.');
    await req.services.types.addAccess(id, body.addProjectAccess.project);
    return respond(202);
  }
  if (body?.removeProjectAccess) {
    authorize(req, 'volume_extension:volume_type_access:removeProjectAccess');
    if (!body.removeProjectAccess.project) throw new CinderInvalid('Missing project.');
    await req.services.types.removeAccess(id, body.removeProjectAccess.project);
    return respond(202);
  }
  throw new CinderInvalid('Invalid request body: unknown volume type action.');
}
