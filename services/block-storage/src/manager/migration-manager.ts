import type { VolumeRecord, VolumeTypeRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { type Caller, rpcContext } from './caller';
import { CinderInvalid, InvalidVolume } from './cinder-errors';
import { cinderTime } from './clock';
import { type BlockStorageRpc, serverOf } from './volume-manager';
import type { VolumeNotifier } from './volume-notifier';
import { SETTLED_MIGRATION } from './volume-states';

/** What `os-migrate_volume` asks for. */
export interface MigrateOptions {
  host: string;
  /** Accepted as upstream; every migration here is the generic host copy already. */
  forceHostCopy: boolean;
  lockVolume: boolean;
}

/**
 * The API side of migration and retype (upstream's `migrate_volume` and `retype`): checks the
 * volume may move, asks the scheduler whether (and where) it fits, marks it (`migration_status`
 * starting; `retyping` or, locked, `maintenance`) and casts the move to the source's volume role.
 * Every mark is a conditional update, so two racing requests cannot both start a move.
 */
export class MigrationManager {
  constructor(
    private readonly stores: Stores,
    private readonly rpc: BlockStorageRpc,
    private readonly notifier: VolumeNotifier,
  ) {}

  /** Problems that forbid moving a volume's data (upstream's wording where it has some). */
  private async moveProblem(v: VolumeRecord): Promise<string | undefined> {
    if (v.migration_status && !SETTLED_MIGRATION.includes(v.migration_status))
      return `Volume ${v.id} is already being migrated.`;
    if (v.status === 'in-use' || v.attach_status === 'attached')
      return 'Migrating an attached volume needs compute to swap it, which this cloud does not do yet.';
    if (v.status !== 'available')
      return `Volume status must be available, but current status is: ${v.status}.`;
    if (v.group_id) return `Volume ${v.id} is in group ${v.group_id} and cannot be migrated.`;
    if ((await this.stores.snapshots.list()).some((s) => s.volume_id === v.id))
      return 'Volume must not have snapshots.';
    return undefined;
  }

  /** `os-migrate_volume`: to another backend, which must be up and pass the scheduler's filters. */
  async migrate(caller: Caller, v: VolumeRecord, opts: MigrateOptions): Promise<void> {
    const destBackend = opts.host.split('#')[0] ?? opts.host;
    if (v.host && v.host.split('#')[0] === destBackend)
      throw new InvalidVolume('Destination host must be different than the current host.');
    const svc = (await this.stores.services.list()).find(
      (s) => s.binary === 'cinder-volume' && s.host === destBackend,
    );
    if (!svc || svc.disabled || svc.backend_state === 'down')
      throw new CinderInvalid(`Invalid host: ${opts.host} is not an available volume service.`);
    const problem = await this.moveProblem(v);
    if (problem) throw new InvalidVolume(problem);
    const dest = await this.rpc.scheduler.call.find_backend(rpcContext(caller), {
      volume_id: v.id,
      volume_type_id: null,
      host: opts.host,
    });
    if (!dest)
      throw new CinderInvalid(`No valid backend was found: ${opts.host} cannot hold volume ${v.id}.`);
    await this.start(caller, v, dest, null, opts.lockVolume ? 'maintenance' : v.status);
  }

  /**
   * `os-retype` to `type`: in place when the volume's pool passes the new type's filters;
   * otherwise a migration to a pool that does, when `policy` is `on-demand`.
   */
  async retype(
    caller: Caller,
    v: VolumeRecord,
    type: VolumeTypeRecord,
    policy: 'never' | 'on-demand',
  ): Promise<void> {
    const dest = v.host
      ? await this.rpc.scheduler.call.find_backend(rpcContext(caller), {
          volume_id: v.id,
          volume_type_id: type.id,
          host: null,
        })
      : '';
    if (!v.host || dest === v.host) {
      const updated = await this.stores.volumes.update(
        v.id,
        () => ({ volume_type_id: type.id, updated_at: cinderTime() }),
        ['available', 'in-use'],
      );
      if (!updated) throw new InvalidVolume(`Volume status must be available or in-use.`);
      this.notifier.volume(caller, updated, 'retype');
      return;
    }
    if (!dest) throw new CinderInvalid(`No valid backend was found for volume type ${type.name}.`);
    if (policy !== 'on-demand') throw new InvalidVolume('Retype requires migration but is not allowed.');
    const problem = await this.moveProblem(v);
    if (problem) throw new InvalidVolume(problem);
    await this.start(caller, v, dest, type.id, 'retyping');
  }

  private async start(
    caller: Caller,
    v: VolumeRecord,
    dest: string,
    newTypeId: string | null,
    status: string,
  ): Promise<void> {
    const marked = await this.stores.volumes.update(
      v.id,
      (cur) => ({
        status,
        previous_status: cur.status,
        migration_status: 'starting',
        updated_at: cinderTime(),
      }),
      ['available'],
    );
    if (!marked) throw new InvalidVolume('Volume status changed while the migration was starting.');
    this.notifier.volume(caller, marked, 'migrate.start');
    await this.rpc.volume.cast.migrate_volume(
      rpcContext(caller),
      { volume_id: v.id, host: dest, new_type_id: newTypeId },
      { server: serverOf(String(v.host)) },
    );
  }
}
