import { respond } from '@nimbus/http';
import type { Keypair } from '../../db/keypair-repository';
import { AlreadyExists, InvalidInput, KeypairNotFound, QuotaExceeded } from '../../manager/compute-errors';
import { generateSshKeypair, sshFingerprint, x509Fingerprint } from '../../manager/ssh-keys';
import { generateX509Keypair } from '../../manager/x509-keys';
import type { ComputeRequest } from '../compute-request';
import { isoMicros, nextLink } from '../compute-view-helpers';

function owner(req: ComputeRequest<unknown>, action: string): string {
  const q = req.query as Record<string, string>;
  const asked = req.microversion.atLeast('2.10') ? q.user_id : undefined;
  const userId = asked ?? req.credentials.userId;
  req.authorize(action, { user_id: userId });
  return userId;
}

function brief(req: ComputeRequest<unknown>, k: Keypair) {
  return {
    name: k.name,
    public_key: k.publicKey,
    fingerprint: k.fingerprint,
    ...(req.microversion.atLeast('2.2') ? { type: k.type } : {}),
  };
}

/** `GET /os-keypairs`. */
export async function listKeypairs(req: ComputeRequest<unknown>) {
  const userId = owner(req, 'os_compute_api:os-keypairs:index');
  let all = await req.services.keypairs.list(userId);
  const q = req.query as Record<string, string>;
  const body: Record<string, unknown> = {};
  if (req.microversion.atLeast('2.35')) {
    if (q.marker) {
      const at = all.findIndex((k) => k.name === q.marker);
      if (at < 0) throw new InvalidInput(`marker [${q.marker}] not found`);
      all = all.slice(at + 1);
    }
    if (q.limit !== undefined) {
      if (!/^[0-9]+$/.test(q.limit))
        throw new InvalidInput(`Invalid input for query parameters limit. Value: ${q.limit}.`);
      const limit = Number(q.limit);
      if (all.length > limit) {
        all = all.slice(0, limit);
        body.keypairs_links = nextLink(req, 'os-keypairs', all[all.length - 1]?.name ?? '', limit);
      }
    }
  }
  return { keypairs: all.map((k) => ({ keypair: brief(req, k) })), ...body };
}

/** `GET /os-keypairs/{name}`. */
export async function showKeypair(req: ComputeRequest<unknown>) {
  const userId = owner(req, 'os_compute_api:os-keypairs:show');
  const k = await req.services.keypairs.get(userId, req.params.keypair_name!);
  if (!k) throw new KeypairNotFound(req.params.keypair_name!, userId);
  return {
    keypair: {
      ...brief(req, k),
      user_id: k.userId,
      created_at: isoMicros(k.createdAt),
      deleted: false,
      deleted_at: null,
      updated_at: null,
      id: 0,
    },
  };
}

/** `POST /os-keypairs`: imports a public key, or (before 2.92) generates a pair. */
export async function createKeypair(req: ComputeRequest<{ keypair: Record<string, any> }>) {
  const b = req.body.keypair;
  const mv = req.microversion;
  const allowed = new Set([
    'name',
    'public_key',
    ...(mv.atLeast('2.2') ? ['type'] : []),
    ...(mv.atLeast('2.10') ? ['user_id'] : []),
  ]);
  for (const k of Object.keys(b))
    if (!allowed.has(k))
      throw new InvalidInput(`Additional properties are not allowed ('${k}' was unexpected)`);
  const userId = (mv.atLeast('2.10') && b.user_id) || req.credentials.userId;
  req.authorize('os_compute_api:os-keypairs:create', { user_id: userId });
  const name = b.name;
  const namePattern = mv.atLeast('2.92') ? /^[a-zA-Z0-9 @._-]+$/ : /^[a-zA-Z0-9 _-]+$/;
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 255 ||
    !namePattern.test(name) ||
    name.trim() !== name
  ) {
    throw new InvalidInput(`Invalid input for field/attribute name. Value: ${name}.`);
  }
  const type = b.type ?? 'ssh';
  if (type !== 'ssh' && type !== 'x509')
    throw new InvalidInput(
      `Invalid input for field/attribute type. Value: ${type}. '${type}' is not one of ['ssh', 'x509']`,
    );
  if (mv.atLeast('2.92') && b.public_key === undefined)
    throw new InvalidInput("Invalid input for field/attribute keypair. 'public_key' is a required property");
  const limits = await req.services.quotas.limits(req.credentials.projectId ?? '');
  if (limits.key_pairs >= 0 && (await req.services.keypairs.count(userId)) >= limits.key_pairs)
    throw new QuotaExceeded('Quota exceeded, too many key pairs.');
  if (await req.services.keypairs.get(userId, name))
    throw new AlreadyExists(`Key pair '${name}' already exists.`);
  let publicKey: string;
  let fingerprint: string;
  let privateKey: string | undefined;
  if (b.public_key !== undefined) {
    if (typeof b.public_key !== 'string')
      throw new InvalidInput('Invalid input for field/attribute public_key.');
    publicKey = b.public_key;
    fingerprint = type === 'x509' ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
  } else {
    const g = type === 'x509' ? generateX509Keypair(userId) : generateSshKeypair('Generated-by-Nova');
    publicKey = g.publicKey;
    fingerprint = g.fingerprint;
    privateKey = g.privateKey;
  }
  const k = await req.services.keypairs.create({ userId, name, type, publicKey, fingerprint });
  const view = { ...brief(req, k), user_id: userId, ...(privateKey ? { private_key: privateKey } : {}) };
  return respond(mv.atLeast('2.2') ? 201 : 200, { keypair: view });
}

/** `DELETE /os-keypairs/{name}`. */
export async function deleteKeypair(req: ComputeRequest<unknown>) {
  const userId = owner(req, 'os_compute_api:os-keypairs:delete');
  if (!(await req.services.keypairs.delete(userId, req.params.keypair_name!)))
    throw new KeypairNotFound(req.params.keypair_name!, userId);
  return respond(req.microversion.atLeast('2.2') ? 204 : 202);
}
