import { defineRpcInterface, Type } from '@nimbus/bus';

const id = Type.String({ minLength: 1 });
const optionalId = Type.Optional(Type.Union([Type.String(), Type.Null()]));
const anyObject = Type.Record(Type.String(), Type.Unknown());

/** What the API casts to the scheduler (`cinder-scheduler`). */
export const schedulerRpc = defineRpcInterface({
  topic: 'cinder-scheduler',
  version: '3.0',
  methods: {
    /** Pick a pool for a new volume and hand it to that backend's volume role. */
    create_volume: { args: Type.Object({ volume_id: id }), since: '3.0', mode: 'cast', passToken: true },
    /**
     * Pick a pool for a retype (`volume_type_id`: the new type; the volume's own pool wins when it
     * passes) or a migration (`host`: only that backend's pools); the chosen `host@backend#pool`,
     * or '' when none passes.
     */
    find_backend: {
      args: Type.Object({ volume_id: id, volume_type_id: optionalId, host: optionalId }),
      result: Type.String(),
      since: '3.0',
      mode: 'call',
    },
  },
});

/** What the API and scheduler send to a volume role (`cinder-volume`, server = its host). */
export const volumeRpc = defineRpcInterface({
  topic: 'cinder-volume',
  version: '3.0',
  methods: {
    create_volume: { args: Type.Object({ volume_id: id }), since: '3.0', mode: 'cast', passToken: true },
    delete_volume: {
      args: Type.Object({ volume_id: id, cascade: Type.Boolean(), unmanage: Type.Boolean() }),
      since: '3.0',
      mode: 'cast',
    },
    extend_volume: {
      args: Type.Object({ volume_id: id, new_size: Type.Integer() }),
      since: '3.0',
      mode: 'cast',
    },
    create_snapshot: { args: Type.Object({ snapshot_id: id }), since: '3.0', mode: 'cast' },
    delete_snapshot: {
      args: Type.Object({ snapshot_id: id, unmanage: Type.Boolean() }),
      since: '3.0',
      mode: 'cast',
    },
    revert_to_snapshot: { args: Type.Object({ volume_id: id, snapshot_id: id }), since: '3.0', mode: 'cast' },
    copy_volume_to_image: {
      args: Type.Object({ volume_id: id, image_id: id, disk_format: Type.String() }),
      since: '3.0',
      mode: 'cast',
      passToken: true,
    },
    initialize_connection: {
      args: Type.Object({ volume_id: id, connector: anyObject }),
      result: anyObject,
      since: '3.0',
      mode: 'call',
    },
    /**
     * Move the volume's data to `host` (`host@backend#pool`, a backend of the same process) and
     * point the volume there; `new_type_id` makes it a retype. Sent to the source's volume role.
     */
    migrate_volume: {
      args: Type.Object({ volume_id: id, host: id, new_type_id: optionalId }),
      since: '3.0',
      mode: 'cast',
    },
    /** Adopt the backend object `ref` as the volume (status `managing`). */
    manage_existing: {
      args: Type.Object({ volume_id: id, ref: anyObject }),
      since: '3.0',
      mode: 'cast',
    },
    /** Adopt the backend snapshot `ref` as the snapshot (status `managing`). */
    manage_existing_snapshot: {
      args: Type.Object({ snapshot_id: id, ref: anyObject }),
      since: '3.0',
      mode: 'cast',
    },
    /** The backend's manageable volumes or snapshots (`host@backend`), in the upstream entry shape. */
    get_manageable: {
      args: Type.Object({ host: id, kind: Type.Union([Type.Literal('volume'), Type.Literal('snapshot')]) }),
      result: Type.Array(anyObject),
      since: '3.0',
      mode: 'call',
    },
    terminate_connection: {
      args: Type.Object({ volume_id: id, connector: Type.Union([anyObject, Type.Null()]) }),
      since: '3.0',
      mode: 'call',
    },
  },
});

/** What the API sends to the backup role (`cinder-backup`). */
export const backupRpc = defineRpcInterface({
  topic: 'cinder-backup',
  version: '3.0',
  methods: {
    create_backup: { args: Type.Object({ backup_id: id }), since: '3.0', mode: 'cast', passToken: true },
    restore_backup: {
      args: Type.Object({ backup_id: id, volume_id: id }),
      since: '3.0',
      mode: 'cast',
      passToken: true,
    },
    delete_backup: { args: Type.Object({ backup_id: id }), since: '3.0', mode: 'cast', passToken: true },
  },
});
