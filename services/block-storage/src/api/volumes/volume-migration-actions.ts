import { respond } from '@nimbus/http';
import { type Caller, rpcContext } from '../../manager/caller';
import { CinderInvalid, InvalidVolume, VolumeNotFound } from '../../manager/cinder-errors';
import { cinderTime } from '../../manager/clock';
import { serverOf } from '../../manager/volume-manager';
import { authorize, parseBool, type Req } from '../cinder-request';

type Action = (req: Req, caller: Caller, volumeId: string, projectId: string, arg: any) => Promise<unknown>;

const ok = () => respond(202);

/** `os-retype`, `os-migrate_volume` and `os-migrate_volume_completion`: the volume actions that move data. */
export const migrationActions: Record<string, Action> = {
  'os-retype': async (req, caller, id, project, arg) => {
    authorize(req, 'volume:retype', project);
    if (!arg || typeof arg !== 'object' || arg.new_type === undefined || arg.new_type === null)
      throw new CinderInvalid("Invalid input received: Missing required element 'new_type' in request body.");
    const v = await req.services.volumes.get(caller, id);
    const newType = await req.services.types.find(caller, String(arg.new_type));
    const policy = arg.migration_policy ?? 'never';
    if (policy !== 'never' && policy !== 'on-demand')
      throw new CinderInvalid(`Invalid migration_policy ${String(policy)}.`);
    if (!['available', 'in-use'].includes(v.status)) {
      throw new InvalidVolume(
        `Volume status must be available or in-use, but current status is: ${v.status}.`,
      );
    }
    if (newType.id === v.volume_type_id)
      throw new CinderInvalid('Invalid volume type: New volume type must differ from the current one.');
    await req.services.migrations.retype(caller, v, newType, policy);
    return ok();
  },
  'os-migrate_volume': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_admin_actions:migrate_volume', project);
    const v = await req.services.volumes.get(caller, id);
    const host = arg?.host;
    const cluster = arg?.cluster;
    if (host && cluster)
      throw new CinderInvalid('Invalid input received: Only one of host or cluster may be given.');
    if (!host && cluster)
      throw new CinderInvalid('Invalid input received: clusters are not supported by this deployment.');
    if (typeof host !== 'string' || !host) throw new CinderInvalid('Must specify host or cluster.');
    const forceHostCopy =
      arg.force_host_copy === undefined ? false : parseBool(arg.force_host_copy, 'force_host_copy');
    const lockVolume = arg.lock_volume === undefined ? false : parseBool(arg.lock_volume, 'lock_volume');
    await req.services.migrations.migrate(caller, v, { host, forceHostCopy, lockVolume });
    return ok();
  },
  'os-migrate_volume_completion': async (req, caller, id, project, arg) => {
    authorize(req, 'volume_extension:volume_admin_actions:migrate_volume_completion', project);
    const newId = arg?.new_volume;
    if (typeof newId !== 'string' || !newId) throw new CinderInvalid('Must specify new_volume.');
    const error = arg.error === undefined ? false : parseBool(arg.error, 'error');
    const stores = req.services.stores;
    const v = await req.services.volumes.get(caller, id);
    const target = await stores.volumes.get(newId);
    if (!target) throw new VolumeNotFound(newId);
    // A swap compute made on its own (no migration): the attachments follow the new volume.
    if (!v.migration_status && !target.migration_status) {
      if (!error) {
        for (const a of (await stores.attachments.list()).filter((x) => x.volume_id === v.id)) {
          await stores.attachments.update(a.id, () => ({ volume_id: target.id }));
        }
        await stores.volumes.update(target.id, () => ({
          status: 'in-use',
          attach_status: 'attached',
          updated_at: cinderTime(),
        }));
        await stores.volumes.update(v.id, () => ({
          status: 'available',
          attach_status: 'detached',
          updated_at: cinderTime(),
        }));
      }
      return { save_volume_id: target.id };
    }
    if (!v.migration_status) throw new InvalidVolume('Source volume not mid-migration.');
    if (!target.migration_status) throw new InvalidVolume('Destination volume not mid-migration.');
    if (target.migration_status !== `target:${v.id}`) {
      throw new InvalidVolume(
        `Destination has migration_status ${target.migration_status}, expected target:${v.id}.`,
      );
    }
    if (error) {
      await stores.volumes.update(v.id, (cur) => ({
        migration_status: 'error',
        status: cur.previous_status ?? cur.status,
        updated_at: cinderTime(),
      }));
      return { save_volume_id: v.id };
    }
    // The source keeps its id and takes the destination's data; the old data goes with the other record.
    await stores.volumes.update(v.id, (cur) => ({
      host: target.host,
      provider_location: target.provider_location,
      provider_id: target.provider_id,
      migration_status: 'success',
      status:
        cur.previous_status && cur.previous_status !== 'maintenance' ? cur.previous_status : 'available',
      updated_at: cinderTime(),
    }));
    const old = await stores.volumes.update(target.id, () => ({
      host: v.host,
      provider_location: v.provider_location,
      provider_id: v.provider_id,
      migration_status: null,
      status: 'deleting',
      updated_at: cinderTime(),
    }));
    if (old?.host) {
      await req.services.rpc.volume.cast.delete_volume(
        rpcContext(caller),
        { volume_id: old.id, cascade: false, unmanage: false },
        { server: serverOf(old.host) },
      );
    } else if (old) {
      await stores.volumes.delete(old.id);
    }
    return { save_volume_id: v.id };
  },
};
