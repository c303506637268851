import { respond } from '@nimbus/http';
import { type Caller, rpcContext } from '../../manager/caller';
import { CinderInvalid, CinderNotFound, InvalidVolume } from '../../manager/cinder-errors';
import { cinderTime } from '../../manager/clock';
import { MESSAGE_DETAILS, MESSAGE_EVENTS } from '../../manager/message-manager';
import { serverOf } from '../../manager/volume-manager';
import { ATTACH_STATUSES, VOLUME_STATUSES } from '../../manager/volume-states';
import { authorize, callerOf, checkMetadata, checkProject, parseBool, type Req } from '../cinder-request';
import { migrationActions } from './volume-migration-actions';

type Action = (req: Req, caller: Caller, volumeId: string, projectId: string, arg: any) => Promise<unknown>;

const ok = () => respond(202);

/** Each `POST /volumes/{id}/action` body key and its handler. */
const actions: Record<string, Action> = {
  ...migrationActions,
  'os-extend': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:extend', project);
    const v = await req.services.volumes.get(caller, id);
    const inUse = v.status === 'in-use';
    if (inUse) {
      if (!req.microversion.atLeast('3.42'))
        throw new InvalidVolume(`Volume status must be 'available' to extend, currently in-use.`);
      authorize(req, 'volume:extend_attached_volume', project);
    }
    await req.services.volumes.extend(caller, id, arg?.new_size, req.microversion.atLeast('3.42'));
    return ok();
  },
  'os-reset_status': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_admin_actions:reset_status', project);
    const v = await req.services.volumes.get(caller, id);
    const status = arg?.status;
    const attach = arg?.attach_status;
    const migration = arg?.migration_status;
    if (status === undefined && attach === undefined && migration === undefined) {
      throw new CinderInvalid('Must specify status, attach_status or migration_status.');
    }
    if (status !== undefined && !VOLUME_STATUSES.includes(String(status).toLowerCase())) {
      throw new CinderInvalid(`Invalid input received: Must specify a valid status (${String(status)}).`);
    }
    if (attach !== undefined && !ATTACH_STATUSES.includes(String(attach))) {
      throw new CinderInvalid(
        `Invalid input received: Must specify a valid attach status (${String(attach)}).`,
      );
    }
    await req.services.stores.volumes.update(v.id, (cur) => ({
      ...(status !== undefined ? { status: String(status).toLowerCase() } : {}),
      ...(attach !== undefined ? { attach_status: attach } : {}),
      ...(migration !== undefined
        ? { migration_status: migration === 'none' ? null : String(migration) }
        : {}),
      ...(attach === 'detached' ? { admin_metadata: { ...cur.admin_metadata } } : {}),
      updated_at: cinderTime(),
    }));
    if (attach === 'detached') {
      for (const a of (await req.services.stores.attachments.list()).filter((x) => x.volume_id === v.id)) {
        await req.services.stores.attachments.delete(a.id);
      }
    }
    return ok();
  },
  'os-unmanage': async (req, caller, id, project) => {
    authorize(req, 'volume_extension:volume_unmanage', project);
    const v = await req.services.volumes.get(caller, id);
    if ((await req.services.types.byId(v.volume_type_id))?.encryption) {
      await req.services.messages.record({
        projectId: v.project_id,
        requestId: caller.requestId,
        resourceType: 'VOLUME',
        resourceId: v.id,
        event: MESSAGE_EVENTS.unmanageVolume,
        detail: MESSAGE_DETAILS.unmanageEncVolumeUnsupported,
      });
      throw new CinderInvalid('Unmanaging encrypted volumes is not supported.');
    }
    await req.services.volumes.delete(caller, id, { unmanage: true });
    return ok();
  },
  'os-force_delete': async (req, caller, id, project) => {
    authorize(req, 'volume:force_delete', project);
    await req.services.volumes.delete(caller, id, { force: true, cascade: true });
    return ok();
  },
  'os-set_bootable': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:update', project);
    await req.services.volumes.get(caller, id);
    if (arg?.bootable === undefined) throw new CinderInvalid('Must specify bootable in request.');
    const bootable = parseBool(arg.bootable, 'bootable');
    await req.services.stores.volumes.update(id, () => ({ bootable, updated_at: cinderTime() }));
    return respond(200);
  },
  'os-update_readonly_flag': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:update_readonly_flag', project);
    const v = await req.services.volumes.get(caller, id);
    if (arg?.readonly === undefined) throw new CinderInvalid('Must specify readonly in request.');
    const readonly = parseBool(arg.readonly, 'readonly');
    if (!['available', 'in-use'].includes(v.status)) {
      throw new InvalidVolume(
        `Volume status must be available or in-use, but current status is: ${v.status}.`,
      );
    }
    await req.services.stores.volumes.update(id, (cur) => ({
      readonly,
      admin_metadata: { ...cur.admin_metadata, readonly: readonly ? 'True' : 'False' },
      updated_at: cinderTime(),
    }));
    return ok();
  },
  'os-set_image_metadata': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_image_metadata:set', project);
    const v = await req.services.volumes.get(caller, id);
    const md = checkMetadata(arg?.metadata);
    const image_metadata = { ...v.image_metadata, ...md };
    await req.services.stores.volumes.update(id, () => ({ image_metadata, updated_at: cinderTime() }));
    return respond(200, { metadata: image_metadata });
  },
  'os-unset_image_metadata': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_image_metadata:remove', project);
    const v = await req.services.volumes.get(caller, id);
    const key = arg?.key;
    if (typeof key !== 'string' || !(key in v.image_metadata)) {
      throw new CinderNotFound('Glance metadata', `${String(key)} for volume ${id}`);
    }
    const image_metadata = { ...v.image_metadata };
    delete image_metadata[key];
    await req.services.stores.volumes.update(id, () => ({ image_metadata, updated_at: cinderTime() }));
    return respond(200);
  },
  'os-show_image_metadata': async (req, caller, id, project) => {
    authorize(req, 'volume_extension:volume_image_metadata:show', project);
    const v = await req.services.volumes.get(caller, id);
    return respond(200, { metadata: v.image_metadata });
  },
  'os-reserve': async (req, caller, id, project) => {
    authorize(req, 'volume:reserve_volume', project);
    await req.services.attachments.reserve(caller, id);
    return ok();
  },
  'os-unreserve': async (req, caller, id, project) => {
    authorize(req, 'volume:unreserve_volume', project);
    await req.services.attachments.unreserve(caller, id);
    return ok();
  },
  'os-begin_detaching': async (req, caller, id, project) => {
    authorize(req, 'volume:begin_detaching', project);
    await req.services.attachments.beginDetaching(caller, id);
    return ok();
  },
  'os-roll_detaching': async (req, caller, id, project) => {
    authorize(req, 'volume:roll_detaching', project);
    await req.services.attachments.rollDetaching(caller, id);
    return ok();
  },
  'os-attach': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:attach', project);
    if (!arg?.mountpoint) throw new CinderInvalid('Must specify mountpoint.');
    if (arg.mode !== undefined && !['rw', 'ro'].includes(arg.mode))
      throw new CinderInvalid('Invalid request to attach volume: invalid mode.');
    await req.services.attachments.attach(caller, id, arg);
    return ok();
  },
  'os-detach': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:detach', project);
    await req.services.attachments.detach(caller, id, arg?.attachment_id ?? undefined);
    return ok();
  },
  'os-force_detach': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_admin_actions:force_detach', project);
    await req.services.attachments.detach(caller, id, arg?.attachment_id ?? undefined, true);
    return ok();
  },
  'os-initialize_connection': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:initialize_connection', project);
    if (!arg?.connector || typeof arg.connector !== 'object')
      throw new CinderInvalid('Must specify connector.');
    const info = await req.services.attachments.initializeConnection(caller, id, arg.connector);
    return respond(200, { connection_info: info });
  },
  'os-terminate_connection': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:terminate_connection', project);
    if (!arg?.connector || typeof arg.connector !== 'object')
      throw new CinderInvalid('Must specify connector.');
    await req.services.attachments.terminateConnection(caller, id, arg.connector);
    return ok();
  },
  'os-volume_upload_image': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_actions:upload_image', project);
    const v = await req.services.volumes.get(caller, id);
    if (!arg?.image_name) throw new CinderInvalid('No image_name was specified in request.');
    const force = arg.force !== undefined && parseBool(arg.force, 'force');
    const from = force ? ['available', 'in-use'] : ['available'];
    if (!from.includes(v.status)) {
      throw new InvalidVolume(
        `Volume status must be available${force ? ' or in-use' : ''}, but current status is: ${v.status}.`,
      );
    }
    const diskFormat = String(arg.disk_format ?? 'raw');
    const containerFormat = String(arg.container_format ?? 'bare');
    const visibility = arg.visibility ?? (arg['os-volume_upload_image:is_public'] ? 'public' : 'private');
    const image = await req.services.clients
      .forRequest(req)
      .forType('image')
      .json<{ id: string }>({
        method: 'POST',
        path: '/v2/images',
        json: {
          name: String(arg.image_name),
          disk_format: diskFormat,
          container_format: containerFormat,
          visibility,
          protected: arg.protected === true,
          min_disk: v.size,
        },
      });
    await req.services.volumes.transition(
      id,
      from,
      { status: 'uploading', previous_status: v.status },
      (cur) => `Volume status must be available, but current status is: ${cur.status}.`,
    );
    await req.services.rpc.volume.cast.copy_volume_to_image(
      rpcContext(caller, true),
      { volume_id: id, image_id: image.id, disk_format: diskFormat },
      { server: serverOf(String(v.host)) },
    );
    return respond(202, {
      'os-volume_upload_image': {
        id: v.id,
        updated_at: v.updated_at,
        status: 'uploading',
        display_description: v.description,
        size: v.size,
        volume_type: (await req.services.types.byId(v.volume_type_id)) ?? null,
        image_id: image.id,
        container_format: containerFormat,
        disk_format: diskFormat,
        image_name: String(arg.image_name),
        visibility,
        protected: arg.protected === true,
      },
    });
  },
  revert: async (req, caller, id, project, arg) => {
    if (!req.microversion.atLeast('3.40')) throw new CinderInvalid('There is no such action: revert');
    authorize(req, 'volume:revert_to_snapshot', project);
    const v = await req.services.volumes.get(caller, id);
    const snapId = String(arg?.snapshot_id ?? '');
    const snap = await req.services.snapshots.get(caller, snapId);
    if (snap.volume_id !== v.id)
      throw new CinderInvalid('Invalid input received: the snapshot is not of this volume.');
    const latest = (await req.services.stores.snapshots.list())
      .filter((s) => s.volume_id === v.id)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
    if (latest?.id !== snap.id)
      throw new CinderInvalid('Invalid snapshot: revert only to the latest snapshot.');
    if (v.size !== snap.volume_size)
      throw new InvalidVolume('Volume size changed since the snapshot was taken.');
    if (v.status !== 'available' || snap.status !== 'available') {
      throw new InvalidVolume('Volume and snapshot must be available to revert.');
    }
    await req.services.volumes.transition(
      id,
      ['available'],
      { status: 'reverting' },
      (cur) => `Volume status must be available, but current status is: ${cur.status}.`,
    );
    await req.services.stores.snapshots.update(snap.id, () => ({ status: 'restoring' }));
    await req.services.rpc.volume.cast.revert_to_snapshot(
      rpcContext(caller),
      { volume_id: id, snapshot_id: snap.id },
      { server: serverOf(String(v.host)) },
    );
    return ok();
  },
};

/** `POST /volumes/{id}/action`: one action per body. */
export async function volumeAction(req: Req) {
  checkProject(req);
  const caller = callerOf(req);
  const body = req.body as Record<string, unknown> | undefined;
  const names = body && typeof body === 'object' ? Object.keys(body) : [];
  if (names.length !== 1) throw new CinderInvalid('Invalid request body: exactly one action is expected.');
  const name = names[0] as string;
  const action = actions[name];
  if (!action) throw new CinderInvalid(`There is no such action: ${name}`);
  const v = await req.services.volumes.get(caller, String(req.params.volume_id));
  return action(req, caller, v.id, v.project_id, body?.[name]);
}
