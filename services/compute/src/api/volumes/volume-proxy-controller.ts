import type { SnapshotDocument, VolumeDocument } from '@nimbus/clients';
import { BadRequestError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import {
  fromCinder,
  SnapshotNotFound,
  VolumeNotFound,
  volumeClientFor,
} from '../../manager/actions/volume-client';
import type { ComputeRequest } from '../compute-request';

/** Block storage acting for the caller, at the caller's project. */
function cinderOf(req: ComputeRequest<unknown>) {
  return volumeClientFor(req.services.clients.forRequest(req), req.credentials.projectId ?? '');
}

function target(req: ComputeRequest<unknown>) {
  return { project_id: req.credentials.projectId ?? '' };
}

/** A volume as the deprecated `os-volumes` proxy shows it (camelCase keys, `[{}]` without attachments). */
export function proxyVolumeView(v: VolumeDocument): Record<string, unknown> {
  const attachments = (v.attachments ?? []).map((a) => ({
    id: v.id,
    volumeId: v.id,
    serverId: a.server_id,
    device: a.device,
  }));
  return {
    id: v.id,
    status: v.status,
    size: v.size,
    availabilityZone: v.availability_zone ?? null,
    createdAt: v.created_at ?? null,
    attachments: attachments.length ? attachments : [{}],
    displayName: v.name ?? null,
    displayDescription: v.description ?? null,
    volumeType: v.volume_type ?? null,
    snapshotId: v.snapshot_id ?? null,
    metadata: v.metadata ?? {},
  };
}

/** A snapshot as the deprecated `os-snapshots` proxy shows it. */
export function proxySnapshotView(s: SnapshotDocument): Record<string, unknown> {
  return {
    id: s.id,
    volumeId: s.volume_id,
    status: s.status,
    size: s.size,
    createdAt: s.created_at ?? null,
    displayName: s.name ?? null,
    displayDescription: s.description ?? null,
  };
}

/** `limit` / `offset` of the proxy lists (applied to block storage's answer, as Nova does). */
function page<T>(req: ComputeRequest<unknown>, items: T[]): T[] {
  const q = req.query as Record<string, string | undefined>;
  const num = (k: string) => {
    const v = q[k];
    if (v === undefined) return undefined;
    if (!/^[0-9]+$/.test(v))
      throw new BadRequestError(
        `Invalid input for query parameters ${k}. Value: ${v}. '${v}' does not match '^[0-9]*$'`,
      );
    return Number(v);
  };
  const offset = num('offset') ?? 0;
  const limit = num('limit');
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}

/**
 * `/os-volumes/` with an empty id, and DELETE of the collection: no such resource in Nova's
 * routes (404), where this router would otherwise take the collection for it.
 */
export async function noProxyVolume(): Promise<never> {
  throw new NotFoundError('The resource could not be found.', { code: 'COMPUTE_RESOURCE_NOT_FOUND' });
}

/** `GET /os-volumes` and `/os-volumes/detail` (the same view, as upstream). */
export const listProxyVolumes = (detail: boolean) => async (req: ComputeRequest<unknown>) => {
  if (req.url.split('?')[0]!.endsWith('/')) return noProxyVolume();
  req.authorize(detail ? 'os_compute_api:os-volumes:detail' : 'os_compute_api:os-volumes:list', target(req));
  const volumes = await cinderOf(req).listVolumes();
  return { volumes: page(req, volumes).map(proxyVolumeView) };
};

/** `GET /os-volumes/{id}`. */
export async function showProxyVolume(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-volumes:show', target(req));
  const id = req.params.volume_id!;
  return {
    volume: proxyVolumeView(await fromCinder(cinderOf(req).getVolume(id), () => new VolumeNotFound(id))),
  };
}

type CreateVolumeBody = {
  volume: {
    size: number | string;
    display_name?: string | null;
    display_description?: string | null;
    volume_type?: string | null;
    metadata?: Record<string, string>;
    availability_zone?: string | null;
    snapshot_id?: string | null;
    imageRef?: string | null;
  };
};

/** `POST /os-volumes`: creates a volume in block storage; 200 with it (`creating`). */
export async function createProxyVolume(req: ComputeRequest<CreateVolumeBody>) {
  req.authorize('os_compute_api:os-volumes:create', target(req));
  const v = req.body.volume;
  const cinder = cinderOf(req);
  if (v.snapshot_id) {
    const id = v.snapshot_id;
    await fromCinder(cinder.getSnapshot(id), () => new SnapshotNotFound(id));
  }
  const made = await fromCinder(
    cinder.createVolume({
      size: Number(v.size),
      ...(v.display_name != null ? { name: v.display_name } : {}),
      ...(v.display_description != null ? { description: v.display_description } : {}),
      ...(v.volume_type ? { volumeType: v.volume_type } : {}),
      ...(v.metadata ? { metadata: v.metadata } : {}),
      ...(v.availability_zone ? { availabilityZone: v.availability_zone } : {}),
      ...(v.snapshot_id ? { snapshotId: v.snapshot_id } : {}),
      ...(v.imageRef ? { imageRef: v.imageRef } : {}),
    }),
  );
  return { volume: proxyVolumeView(made) };
}

/** `DELETE /os-volumes/{id}`: 202. */
export async function deleteProxyVolume(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-volumes:delete', target(req));
  const id = req.params.volume_id!;
  await fromCinder(cinderOf(req).deleteVolume(id), () => new VolumeNotFound(id));
  return respond(202);
}

/** `GET /os-snapshots` and `/os-snapshots/detail`. */
export const listProxySnapshots = (detail: boolean) => async (req: ComputeRequest<unknown>) => {
  req.authorize(
    detail ? 'os_compute_api:os-volumes:snapshots:detail' : 'os_compute_api:os-volumes:snapshots:list',
    target(req),
  );
  const snapshots = await cinderOf(req).listSnapshots();
  return { snapshots: page(req, snapshots).map(proxySnapshotView) };
};

/** `GET /os-snapshots/{id}`. */
export async function showProxySnapshot(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-volumes:snapshots:show', target(req));
  const id = req.params.snapshot_id!;
  return {
    snapshot: proxySnapshotView(
      await fromCinder(cinderOf(req).getSnapshot(id), () => new SnapshotNotFound(id)),
    ),
  };
}

type CreateSnapshotBody = {
  snapshot: {
    volume_id: string;
    force?: boolean | string;
    display_name?: string | null;
    display_description?: string | null;
  };
};

/** `POST /os-snapshots`: 200 with the snapshot (`creating`). */
export async function createProxySnapshot(req: ComputeRequest<CreateSnapshotBody>) {
  req.authorize('os_compute_api:os-volumes:snapshots:create', target(req));
  const s = req.body.snapshot;
  const force = s.force === true || (typeof s.force === 'string' && /^(true|1|yes|on)$/i.test(s.force));
  const made = await fromCinder(
    cinderOf(req).createSnapshot({
      volumeId: s.volume_id,
      ...(s.display_name != null ? { name: s.display_name } : {}),
      ...(s.display_description != null ? { description: s.display_description } : {}),
      force,
    }),
    () => new VolumeNotFound(s.volume_id),
  );
  return { snapshot: proxySnapshotView(made) };
}

/** `DELETE /os-snapshots/{id}`: 202. */
export async function deleteProxySnapshot(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-volumes:snapshots:delete', target(req));
  const id = req.params.snapshot_id!;
  await fromCinder(cinderOf(req).deleteSnapshot(id), () => new SnapshotNotFound(id));
  return respond(202);
}
