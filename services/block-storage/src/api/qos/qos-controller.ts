import { respond } from '@nimbus/http';
import type { QosSpecsRecord } from '../../db/records';
import { CinderInvalid } from '../../manager/cinder-errors';
import { authorize, bodyOf, checkProject, parseBool, q, type Req } from '../cinder-request';

function qosView(q: QosSpecsRecord) {
  return { id: q.id, name: q.name, consumer: q.consumer, specs: q.specs };
}

function links(req: Req, q: QosSpecsRecord) {
  const project = String(req.params.project_id ?? req.credentials.projectId);
  return [
    { href: `${req.baseUrl}/v3/${project}/qos-specs/${q.id}`, rel: 'self' },
    { href: `${req.baseUrl}/${project}/qos-specs/${q.id}`, rel: 'bookmark' },
  ];
}

/** `GET /qos-specs`. */
export async function listQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:get_all');
  return { qos_specs: (await req.services.qos.list()).map(qosView) };
}

/** `GET /qos-specs/{id}`. */
export async function showQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:get');
  const q = await req.services.qos.get(String(req.params.qos_id));
  return { qos_specs: qosView(q), links: links(req, q) };
}

/** `POST /qos-specs` (200). */
export async function createQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:create');
  const q = await req.services.qos.create(bodyOf(req, 'qos_specs'));
  return { qos_specs: qosView(q), links: links(req, q) };
}

/** `PUT /qos-specs/{id}`: set keys. */
export async function setQosKeys(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:update');
  return { qos_specs: await req.services.qos.setKeys(String(req.params.qos_id), bodyOf(req, 'qos_specs')) };
}

/** `PUT /qos-specs/{id}/delete_keys` (202). */
export async function unsetQosKeys(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:update');
  const keys = (req.body as Record<string, unknown> | undefined)?.keys;
  if (!Array.isArray(keys)) throw new CinderInvalid('Invalid input received: keys must be a list.');
  await req.services.qos.unsetKeys(String(req.params.qos_id), keys.map(String));
  return respond(202);
}

/** `DELETE /qos-specs/{id}` (`force`, 202). */
export async function deleteQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:delete');
  const force = q(req, 'force') !== undefined && parseBool(q(req, 'force'), 'force');
  await req.services.qos.delete(String(req.params.qos_id), force);
  return respond(202);
}

/** `GET /qos-specs/{id}/associations`. */
export async function listQosAssociations(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:get');
  return { qos_associations: await req.services.qos.associations(String(req.params.qos_id)) };
}

function typeId(req: Req): string {
  const id = q(req, 'vol_type_id');
  if (!id) throw new CinderInvalid('Invalid input received: vol_type_id is required.');
  return id;
}

/** `GET /qos-specs/{id}/associate?vol_type_id=` (202). */
export async function associateQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:update');
  await req.services.qos.associate(String(req.params.qos_id), typeId(req));
  return respond(202);
}

/** `GET /qos-specs/{id}/disassociate?vol_type_id=` (202). */
export async function disassociateQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:update');
  await req.services.qos.disassociate(String(req.params.qos_id), typeId(req));
  return respond(202);
}

/** `GET /qos-specs/{id}/disassociate_all` (202). */
export async function disassociateAllQos(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:qos_specs_manage:update');
  await req.services.qos.disassociateAll(String(req.params.qos_id));
  return respond(202);
}
