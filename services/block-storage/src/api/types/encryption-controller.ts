import { randomUUID } from 'node:crypto';
import { respond } from '@nimbus/http';
import { CinderInvalid, CinderNotFound } from '../../manager/cinder-errors';
import { cinderTime } from '../../manager/clock';
import { authorize, bodyOf, checkProject, type Req } from '../cinder-request';

const FIELDS = ['provider', 'cipher', 'key_size', 'control_location'] as const;

function checkEncryption(body: Record<string, unknown>, creating: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (creating && typeof body.provider !== 'string')
    throw new CinderInvalid('Invalid input received: provider must be specified.');
  for (const k of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(k))
      throw new CinderInvalid(`Invalid input received: unknown encryption key ${k}.`);
  }
  if (
    body.control_location !== undefined &&
    !['front-end', 'back-end'].includes(String(body.control_location))
  ) {
    throw new CinderInvalid('Invalid input received: control_location must be front-end or back-end.');
  }
  if (
    body.key_size !== undefined &&
    body.key_size !== null &&
    (!Number.isInteger(body.key_size) || Number(body.key_size) <= 0)
  ) {
    throw new CinderInvalid('Invalid input received: key_size must be a positive integer.');
  }
  for (const k of FIELDS) if (body[k] !== undefined) out[k] = body[k];
  return out;
}

async function inUse(req: Req, typeId: string): Promise<boolean> {
  return (await req.services.stores.volumes.list()).some((v) => v.volume_type_id === typeId);
}

/** `GET /types/{id}/encryption`: the type's encryption, or `{}`. */
export async function showEncryption(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_type_encryption');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  return t.encryption ?? {};
}

/** `GET /types/{id}/encryption/{key}`. */
export async function showEncryptionKey(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_type_encryption');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  const key = String(req.params.key);
  if (!t.encryption || !(key in t.encryption))
    throw new CinderNotFound('Volume type encryption', `${key} of ${t.id}`);
  return { [key]: t.encryption[key] };
}

/** `POST /types/{id}/encryption`. */
export async function createEncryption(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_type_encryption');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  if (t.encryption) throw new CinderInvalid(`Volume type encryption for type ${t.id} already exists.`);
  if (await inUse(req, t.id)) throw new CinderInvalid('Cannot create encryption specs. Volume type in use.');
  const fields = checkEncryption(bodyOf(req, 'encryption'), true);
  t.encryption = {
    volume_type_id: t.id,
    encryption_id: randomUUID(),
    cipher: null,
    key_size: null,
    control_location: 'front-end',
    ...fields,
    deleted: false,
    created_at: cinderTime(),
    updated_at: null,
    deleted_at: null,
  };
  await req.services.types.save(t);
  const { deleted: _d, created_at: _c, updated_at: _u, deleted_at: _x, ...shown } = t.encryption;
  return { encryption: shown };
}

/** `PUT /types/{id}/encryption/{encryption_id}`. */
export async function updateEncryption(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_type_encryption');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  if (!t.encryption) throw new CinderNotFound('Volume type encryption', `for type ${t.id}`);
  if (await inUse(req, t.id)) throw new CinderInvalid('Cannot update encryption specs. Volume type in use.');
  const fields = checkEncryption(bodyOf(req, 'encryption'), false);
  t.encryption = { ...t.encryption, ...fields, updated_at: cinderTime() };
  await req.services.types.save(t);
  return { encryption: fields };
}

/** `DELETE /types/{id}/encryption/{encryption_id}` (202). */
export async function deleteEncryption(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:volume_type_encryption');
  const t = await req.services.types.mustGet(String(req.params.type_id));
  if (!t.encryption) throw new CinderNotFound('Volume type encryption', `for type ${t.id}`);
  if (await inUse(req, t.id)) throw new CinderInvalid('Cannot delete encryption specs. Volume type in use.');
  t.encryption = null;
  await req.services.types.save(t);
  return respond(202);
}
