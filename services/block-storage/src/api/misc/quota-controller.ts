import { respond } from '@nimbus/http';
import { CinderInvalid } from '../../manager/cinder-errors';
import { authorize, bodyOf, checkProject, parseBool, q, type Req } from '../cinder-request';

/** `GET /os-quota-sets/{target}` (`usage=True` for limit/in_use/reserved). */
export async function showQuota(req: Req) {
  checkProject(req);
  const target = String(req.params.target_project_id);
  authorize(req, 'volume_extension:quotas:show', target);
  const limits = await req.services.quotas.projectLimits(target);
  const usage = q(req, 'usage') !== undefined && parseBool(q(req, 'usage'), 'usage');
  if (!usage) return { quota_set: { id: target, ...limits } };
  const used = await req.services.quotas.usage(target);
  const out: Record<string, unknown> = { id: target };
  for (const [k, limit] of Object.entries(limits)) out[k] = { limit, in_use: used[k] ?? 0, reserved: 0 };
  return { quota_set: out };
}

/** `GET /os-quota-sets/{target}/defaults`. */
export async function showDefaultQuota(req: Req) {
  checkProject(req);
  const target = String(req.params.target_project_id);
  authorize(req, 'volume_extension:quotas:show', target);
  return { quota_set: { id: target, ...(await req.services.quotas.classLimits()) } };
}

/** `PUT /os-quota-sets/{target}`. */
export async function updateQuota(req: Req) {
  checkProject(req);
  const target = String(req.params.target_project_id);
  authorize(req, 'volume_extension:quotas:update', target);
  const body = bodyOf<Record<string, unknown>>(req, 'quota_set');
  const values = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'id' && k !== 'tenant_id'));
  if (!Object.keys(values).length) throw new CinderInvalid('Invalid input received: quota_set is empty.');
  const limits = await req.services.quotas.update(target, values);
  return { quota_set: limits };
}

/** `DELETE /os-quota-sets/{target}`: back to the defaults (200). */
export async function deleteQuota(req: Req) {
  checkProject(req);
  const target = String(req.params.target_project_id);
  authorize(req, 'volume_extension:quotas:delete', target);
  await req.services.quotas.reset(target);
  return respond(200);
}

/** `GET /os-quota-class-sets/{class}`. */
export async function showQuotaClass(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:quota_classes');
  const name = String(req.params.class_name);
  return { quota_class_set: { id: name, ...(await req.services.quotas.classLimits(name)) } };
}

/** `PUT /os-quota-class-sets/{class}`. */
export async function updateQuotaClass(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:quota_classes');
  const name = String(req.params.class_name);
  if (!name || name.length > 255) throw new CinderInvalid('Invalid quota class name.');
  const body = bodyOf<Record<string, unknown>>(req, 'quota_class_set');
  return { quota_class_set: await req.services.quotas.updateClass(name, body) };
}
