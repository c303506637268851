import { NotImplementedError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import { InvalidInput } from '../../manager/compute-errors';
import type { GuestActionName } from '../../manager/server-manager';
import { type ComputeRequest, callerContext, findServer } from '../compute-request';
import { floatingIpActions } from '../proxies/floating-ip-actions';
import { securityGroupActions } from '../proxies/security-group-actions';
import { guestExtraActions } from './server-guest-actions';
import { moveActions } from './server-move-actions';
import { rebuildAction } from './server-rebuild-action';
import { rescueActions } from './server-rescue-actions';
import { shelveActions } from './server-shelve-actions';
import { snapshotActions } from './server-snapshot-actions';

type ActionHandler = (
  req: ComputeRequest<Record<string, any>>,
  instance: Instance,
  value: any,
) => Promise<unknown>;

const guest =
  (policy: string, action: GuestActionName): ActionHandler =>
  async (req, i) => {
    req.authorize(policy, { project_id: i.projectId, user_id: i.userId });
    await req.services.servers.guestAction(callerContext(req), i, action);
    return respond(202);
  };

/** The actions implemented, by body key; each checks its own policy against the server. */
const ACTIONS: Record<string, ActionHandler> = {
  ...moveActions,
  ...guestExtraActions,
  ...securityGroupActions,
  ...floatingIpActions,
  ...rescueActions,
  ...shelveActions,
  ...snapshotActions,
  rebuild: rebuildAction,
  'os-start': guest('os_compute_api:servers:start', 'start'),
  'os-stop': guest('os_compute_api:servers:stop', 'stop'),
  pause: guest('os_compute_api:os-pause-server:pause', 'pause'),
  unpause: guest('os_compute_api:os-pause-server:unpause', 'unpause'),
  suspend: guest('os_compute_api:os-suspend-server:suspend', 'suspend'),
  resume: guest('os_compute_api:os-suspend-server:resume', 'resume'),
  async reboot(req, i, value) {
    const type = value?.type;
    if (typeof type !== 'string' || !/^(HARD|SOFT)$/i.test(type)) {
      throw new InvalidInput(
        `Invalid input for field/attribute type. Value: ${type}. '${type}' does not match '^(HARD|Hard|hard|SOFT|Soft|soft)$'`,
      );
    }
    req.authorize('os_compute_api:servers:reboot', { project_id: i.projectId, user_id: i.userId });
    await req.services.servers.guestAction(
      callerContext(req),
      i,
      type.toUpperCase() === 'HARD' ? 'reboot_hard' : 'reboot_soft',
    );
    return respond(202);
  },
  async lock(req, i, value) {
    req.authorize('os_compute_api:os-lock-server:lock', { project_id: i.projectId, user_id: i.userId });
    if (value !== null && typeof value === 'object' && Object.keys(value).length) {
      if (!req.microversion.atLeast('2.73'))
        throw new InvalidInput(
          `Invalid input for field/attribute lock. Value: ${JSON.stringify(value)}. ${JSON.stringify(value)} is not of type 'null'`,
        );
      const extra = Object.keys(value).filter((k) => k !== 'locked_reason');
      if (extra.length)
        throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
      if (typeof value.locked_reason !== 'string' || value.locked_reason.length > 255)
        throw new InvalidInput('Invalid input for field/attribute locked_reason.');
    }
    await req.services.servers.lock(callerContext(req), i, value?.locked_reason);
    return respond(202);
  },
  async unlock(req, i) {
    req.authorize('os_compute_api:os-lock-server:unlock', { project_id: i.projectId, user_id: i.userId });
    // A lock an admin set needs the override to lift (a project member cannot undo it).
    if (i.lockedBy === 'admin')
      req.authorize('os_compute_api:os-lock-server:unlock:unlock_override', { project_id: i.projectId });
    await req.services.servers.unlock(callerContext(req), i);
    return respond(202);
  },
  async 'os-resetState'(req, i, value) {
    req.authorize('os_compute_api:os-admin-actions:reset_state', { project_id: i.projectId });
    const state = value?.state;
    if (state !== 'active' && state !== 'error') {
      throw new InvalidInput(
        `Invalid input for field/attribute state. Value: ${state}. '${state}' is not one of ['active', 'error']`,
      );
    }
    await req.services.instances.update(i.uuid, { vm_state: state, task_state: null });
    await req.services.actions.start(i.uuid, 'resetState', {
      requestId: req.requestId,
      userId: req.credentials.userId,
      projectId: req.credentials.projectId,
    });
    return respond(202);
  },
  async 'os-getConsoleOutput'(req, i, value) {
    req.authorize('os_compute_api:os-console-output', { project_id: i.projectId, user_id: i.userId });
    let length: number | undefined;
    const raw = value?.length;
    if (raw !== undefined && raw !== null) {
      const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < -1)
        throw new InvalidInput(`Invalid input for field/attribute length. Value: ${raw}.`);
      if (n !== -1) length = n;
    }
    return { output: await req.services.servers.consoleOutput(callerContext(req), i, length) };
  },
};

/** Actions Nova has that this cloud does not run yet: 501, never a fake success. */
const NOT_YET = new Set([
  'evacuate',
  'resetNetwork',
  'injectNetworkInfo',
  'os-getVNCConsole',
  'os-getSPICEConsole',
  'os-getSerialConsole',
  'os-getRDPConsole',
  'addFixedIp',
  'removeFixedIp',
  'os-resetNetwork',
]);

/** `POST /servers/{id}/action`. */
export async function serverAction(req: ComputeRequest<Record<string, unknown>>) {
  const [key, value] = Object.entries(req.body)[0]!;
  const handler = ACTIONS[key];
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:show');
  if (!handler) {
    if (NOT_YET.has(key))
      throw new NotImplementedError(`The server action '${key}' is not implemented by this cloud yet.`);
    throw new InvalidInput(`There is no such action: ${key}`);
  }
  return handler(req, i, value);
}
