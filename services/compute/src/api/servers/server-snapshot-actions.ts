import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';

type Handler = (req: ComputeRequest<Record<string, any>>, i: Instance, value: any) => Promise<unknown>;

const NAME = /^(?![\s])[\s\S]*(?<![\s])$/;
const META_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;

const bad = (field: string, value: unknown, why: string) =>
  new InvalidInput(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${why}`);

/** Checks an action body against upstream's schema: an object, only `allowed` keys, `required` ones. */
function object(action: string, v: any, allowed: string[], required: string[]): Record<string, any> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw bad(action, v, "is not of type 'object'");
  const extra = Object.keys(v).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
  for (const k of required) if (v[k] === undefined) throw new InvalidInput(`'${k}' is a required property`);
  return v;
}

/** `name` as upstream's `parameter_types.name`: 1 to 255 characters, no surrounding spaces. */
function name(v: unknown): string {
  if (typeof v !== 'string') throw bad('name', v, "is not of type 'string'");
  if (v.length < 1 || v.length > 255 || !NAME.test(v)) throw bad('name', v, 'is not a valid name');
  return v;
}

/** `metadata` as upstream's `parameter_types.metadata`: keys by pattern, string values ≤ 255. */
function metadata(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw bad('metadata', v, "is not of type 'object'");
  for (const [k, val] of Object.entries(v)) {
    if (!META_KEY.test(k))
      throw bad('metadata', v, `Additional properties are not allowed ('${k}' was unexpected)`);
    if (typeof val !== 'string') throw bad(`metadata/${k}`, val, "is not of type 'string'");
    if (val.length > 255) throw bad(`metadata/${k}`, val, 'is too long');
  }
  return v as Record<string, string>;
}

/** The 202 of a snapshot: `{image_id}` at 2.45+, else a `Location` naming the image (when kept). */
function accepted(req: ComputeRequest<unknown>, imageId: string, withLocation: boolean) {
  if (req.microversion.atLeast('2.45')) return respond(202, { image_id: imageId });
  return withLocation
    ? respond(202, undefined, { location: `${req.baseUrl}/images/${imageId}` })
    : respond(202);
}

const target = (i: Instance) => ({ project_id: i.projectId, user_id: i.userId });

/** createImage and createBackup (by body key). */
export const snapshotActions: Record<string, Handler> = {
  async createImage(req, i, value) {
    const v = object('createImage', value, ['name', 'metadata'], ['name']);
    const input = { name: name(v.name), metadata: metadata(v.metadata) };
    req.authorize('os_compute_api:servers:create_image', target(i));
    const id = await req.services.snapshots.createImage(callerContext(req), i, input.name, input.metadata);
    return accepted(req, id, true);
  },
  async createBackup(req, i, value) {
    const v = object(
      'createBackup',
      value,
      ['name', 'backup_type', 'rotation', 'metadata'],
      ['name', 'backup_type', 'rotation'],
    );
    const backupName = name(v.name);
    if (typeof v.backup_type !== 'string') throw bad('backup_type', v.backup_type, "is not of type 'string'");
    const rotation =
      typeof v.rotation === 'string' && /^\d+$/.test(v.rotation) ? Number(v.rotation) : v.rotation;
    if (typeof rotation !== 'number' || !Number.isInteger(rotation) || rotation < 0)
      throw bad('rotation', v.rotation, 'is not a non-negative integer');
    const meta = metadata(v.metadata);
    req.authorize('os_compute_api:os-create-backup', target(i));
    const id = await req.services.snapshots.createBackup(callerContext(req), i, {
      name: backupName,
      backupType: v.backup_type,
      rotation,
      metadata: meta,
    });
    return accepted(req, id, rotation > 0);
  },
};
