import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import type { LiveMigrateInput } from '../../manager/actions/live-migrate-actions';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';

type Handler = (req: ComputeRequest<Record<string, any>>, i: Instance, value: any) => Promise<unknown>;

const target = (i: Instance) => ({ project_id: i.projectId, user_id: i.userId });

function onlyKeys(action: string, value: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw new InvalidInput(
      `Invalid input for field/attribute ${action}. Value: ${JSON.stringify(value)}. Additional properties are not allowed ('${extra[0]}' was unexpected)`,
    );
}

const BOOL_STRINGS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE', '1', '0', 'yes', 'no', 'on', 'off'];

/** A boolean as upstream's `parameter_types.boolean` takes it (true, 'True', 'yes', 1...). */
function boolean(field: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && BOOL_STRINGS.includes(v))
    return ['true', 'True', 'TRUE', '1', 'yes', 'on'].includes(v);
  throw new InvalidInput(
    `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'boolean', 'string'`,
  );
}

/** `os-migrateLive`'s body per microversion (2.25 `auto` and no disk_over_commit, 2.30–2.67 `force`). */
function liveMigrateInput(req: ComputeRequest<unknown>, value: any): LiveMigrateInput {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidInput(
      `Invalid input for field/attribute os-migrateLive. Value: ${value}. ${value} is not of type 'object'`,
    );
  const mv = req.microversion;
  const allowed = ['host', 'block_migration'];
  if (!mv.atLeast('2.25')) allowed.push('disk_over_commit');
  if (mv.atLeast('2.30') && !mv.atLeast('2.68')) allowed.push('force');
  onlyKeys('os-migrateLive', value, allowed);
  for (const k of mv.atLeast('2.25')
    ? ['block_migration', 'host']
    : ['block_migration', 'disk_over_commit', 'host'])
    if (value[k] === undefined) throw new InvalidInput(`'${k}' is a required property`);
  if (value.host !== null && (typeof value.host !== 'string' || !/^[a-zA-Z0-9-._]{1,255}$/.test(value.host)))
    throw new InvalidInput(`Invalid input for field/attribute host. Value: ${value.host}.`);
  if (value.disk_over_commit !== undefined) boolean('disk_over_commit', value.disk_over_commit);
  const blockMigration =
    mv.atLeast('2.25') && value.block_migration === 'auto'
      ? 'auto'
      : boolean('block_migration', value.block_migration);
  const force = value.force === undefined ? false : boolean('force', value.force);
  return { ...(value.host ? { host: value.host } : {}), blockMigration, force };
}

/** The move actions: resize, confirmResize, revertResize, migrate, os-migrateLive (by body key). */
export const moveActions: Record<string, Handler> = {
  async resize(req, i, value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new InvalidInput(
        `Invalid input for field/attribute resize. Value: ${value}. ${value} is not of type 'object'`,
      );
    onlyKeys('resize', value, ['flavorRef', 'OS-DCF:diskConfig']);
    const ref = value.flavorRef;
    if (ref === undefined) throw new InvalidInput("'flavorRef' is a required property");
    if ((typeof ref !== 'string' && typeof ref !== 'number') || String(ref).length === 0)
      throw new InvalidInput(
        `Invalid input for field/attribute flavorRef. Value: ${ref}. ${JSON.stringify(ref)} is not of type 'string', 'integer'`,
      );
    const disk = value['OS-DCF:diskConfig'];
    if (disk !== undefined && disk !== 'AUTO' && disk !== 'MANUAL')
      throw new InvalidInput(
        `Invalid input for field/attribute OS-DCF:diskConfig. Value: ${disk}. '${disk}' is not one of ['AUTO', 'MANUAL']`,
      );
    req.authorize('os_compute_api:servers:resize', target(i));
    await req.services.moves.resize(callerContext(req), i, String(ref), disk);
    return respond(202);
  },
  async confirmResize(req, i) {
    req.authorize('os_compute_api:servers:confirm_resize', target(i));
    await req.services.moves.confirm(callerContext(req), i);
    return respond(204);
  },
  async revertResize(req, i) {
    req.authorize('os_compute_api:servers:revert_resize', target(i));
    await req.services.moves.revert(callerContext(req), i);
    return respond(202);
  },
  async 'os-migrateLive'(req, i, value) {
    const input = liveMigrateInput(req, value);
    req.authorize('os_compute_api:os-migrate-server:migrate_live', target(i));
    await req.services.liveMigrations.liveMigrate(callerContext(req), i, input);
    return respond(202);
  },
  async migrate(req, i, value) {
    let host: string | undefined;
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new InvalidInput(
          `Invalid input for field/attribute migrate. Value: ${value}. ${value} is not of type 'null'`,
        );
      if (req.microversion.atLeast('2.56')) {
        onlyKeys('migrate', value, ['host']);
        if (value.host !== undefined && value.host !== null) {
          if (typeof value.host !== 'string' || !/^[a-zA-Z0-9-._]{1,255}$/.test(value.host))
            throw new InvalidInput(`Invalid input for field/attribute host. Value: ${value.host}.`);
          host = value.host;
        }
      } else if (Object.keys(value).length) {
        throw new InvalidInput(
          `Invalid input for field/attribute migrate. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'null'`,
        );
      }
    }
    req.authorize('os_compute_api:os-migrate-server:migrate', target(i));
    await req.services.moves.migrate(callerContext(req), i, host);
    return respond(202);
  },
};
