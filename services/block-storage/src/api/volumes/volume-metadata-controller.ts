import { respond } from '@nimbus/http';
import { CinderInvalid, CinderNotFound } from '../../manager/cinder-errors';
import { authorize, callerOf, checkMetadata, checkProject, type Req } from '../cinder-request';

async function volumeOf(req: Req, action: string) {
  checkProject(req);
  const v = await req.services.volumes.get(callerOf(req), String(req.params.volume_id));
  authorize(req, action, v.project_id);
  return v;
}

function metadataBody(req: Req): Record<string, string> {
  const b = req.body as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object' || !('metadata' in b))
    throw new CinderInvalid('Malformed request body: metadata is missing.');
  return checkMetadata(b.metadata);
}

/** `GET /volumes/{id}/metadata`. */
export async function listVolumeMetadata(req: Req) {
  return { metadata: (await volumeOf(req, 'volume:get_volume_metadata')).metadata };
}

/** `POST /volumes/{id}/metadata`: merges. */
export async function createVolumeMetadata(req: Req) {
  const v = await volumeOf(req, 'volume:create_volume_metadata');
  return { metadata: await req.services.volumes.setMetadata(callerOf(req), v.id, metadataBody(req), false) };
}

/** `PUT /volumes/{id}/metadata`: replaces. */
export async function replaceVolumeMetadata(req: Req) {
  const v = await volumeOf(req, 'volume:update_volume_metadata');
  return { metadata: await req.services.volumes.setMetadata(callerOf(req), v.id, metadataBody(req), true) };
}

/** `GET /volumes/{id}/metadata/{key}`. */
export async function showVolumeMetadataKey(req: Req) {
  const v = await volumeOf(req, 'volume:get_volume_metadata');
  const key = String(req.params.key);
  if (!(key in v.metadata)) throw new CinderNotFound('Volume metadata', `${key} for volume ${v.id}`);
  return { meta: { [key]: v.metadata[key] } };
}

/** `PUT /volumes/{id}/metadata/{key}`: `{"meta": {key: value}}`, the key matching the URL. */
export async function updateVolumeMetadataKey(req: Req) {
  const v = await volumeOf(req, 'volume:update_volume_metadata');
  const b = req.body as Record<string, unknown> | undefined;
  const meta = checkMetadata(b?.meta);
  const key = String(req.params.key);
  if (Object.keys(meta).length !== 1) throw new CinderInvalid('Request body contains too many items.');
  if (!(key in meta)) throw new CinderInvalid('Request body and URI mismatch');
  await req.services.volumes.setMetadata(callerOf(req), v.id, meta, false);
  return { meta };
}

/** `DELETE /volumes/{id}/metadata/{key}`. */
export async function deleteVolumeMetadataKey(req: Req) {
  const v = await volumeOf(req, 'volume:delete_volume_metadata');
  await req.services.volumes.deleteMetadataKey(callerOf(req), v.id, String(req.params.key));
  return respond(200);
}
