import { randomBytes } from 'node:crypto';
import type { MessageBus, RpcServer } from '@nimbus/bus';
import type { Logger } from '@nimbus/logging';
import { type PeriodicTask, startPeriodicTask } from './periodic-task';
import type { RoleInstanceInfo } from './role-runner';

/** Topic every process listens on for `report` requests (a fanout asks them all at once). */
export const ROLE_REPORT_TOPIC = 'nimbus_roles';
/** Topic heartbeats are fanned out to; only `nimbus status` and monitors listen on it. */
export const ROLE_HEARTBEAT_TOPIC = 'nimbus_role_heartbeats';

/** One role instance as a heartbeat reports it. */
export interface RoleHeartbeat extends RoleInstanceInfo {
  /** ISO 8601 time this heartbeat was sent. */
  lastHeartbeat: string;
}

/** The heartbeats of this process, running. */
export interface RoleHeartbeats {
  task: PeriodicTask;
  stop(): Promise<void>;
}

/** How a process announces its roles. */
export interface RoleHeartbeatsInput {
  bus: MessageBus;
  /** This process's host (`[DEFAULT] host`). */
  host: string;
  /** The role instances running now. */
  instances(): readonly RoleInstanceInfo[];
  intervalSeconds: number;
  logger: Logger;
}

/**
 * Announces every role instance of this process on the bus: a fanout cast of `heartbeat` on
 * ROLE_HEARTBEAT_TOPIC every `intervalSeconds` (on the periodic-task helper), one message per
 * process whatever the number of instances (a thousand simulated hosts stay one message), and
 * at once when someone casts `report` to ROLE_REPORT_TOPIC. Fanout casts reach only listeners
 * connected at the time, so nothing piles up when nobody listens.
 */
export async function startRoleHeartbeats(input: RoleHeartbeatsInput): Promise<RoleHeartbeats> {
  const client = input.bus.rpcClient({ topic: ROLE_HEARTBEAT_TOPIC, fanout: true });
  const task = startPeriodicTask({
    name: 'role-heartbeat',
    intervalSeconds: input.intervalSeconds,
    initialDelaySeconds: 0,
    logger: input.logger,
    run: async () => {
      const now = new Date().toISOString();
      const instances: RoleHeartbeat[] = input.instances().map((i) => ({ ...i, lastHeartbeat: now }));
      if (instances.length) await client.cast({}, 'heartbeat', { instances });
    },
  });
  let server: RpcServer | undefined;
  try {
    server = await input.bus.rpcServer(
      { topic: ROLE_REPORT_TOPIC, server: `${input.host}.${process.pid}.${randomBytes(3).toString('hex')}` },
      { report: async () => void task.runNow() },
    );
  } catch (err) {
    await task.stop();
    throw err;
  }
  return {
    task,
    async stop() {
      await server?.stop();
      await task.stop();
    },
  };
}

/**
 * Collects the role instances known to the bus: listens for heartbeats, asks every process to
 * report at once, and returns what arrived within `waitSeconds`, the latest heartbeat of each
 * instance, sorted by role id and host.
 */
export async function collectRoleStatus(bus: MessageBus, waitSeconds: number): Promise<RoleHeartbeat[]> {
  const seen = new Map<string, RoleHeartbeat>();
  const server = await bus.rpcServer(
    { topic: ROLE_HEARTBEAT_TOPIC, server: `status-${process.pid}-${randomBytes(4).toString('hex')}` },
    {
      heartbeat: async (_ctx, args) => {
        for (const h of (args as { instances?: RoleHeartbeat[] }).instances ?? []) {
          const key = `${h.id} ${h.host} ${h.pid}`;
          const old = seen.get(key);
          if (!old || old.lastHeartbeat < h.lastHeartbeat) seen.set(key, h);
        }
      },
    },
  );
  try {
    await bus.rpcClient({ topic: ROLE_REPORT_TOPIC, fanout: true }).cast({}, 'report');
    await new Promise((r) => setTimeout(r, waitSeconds * 1000));
  } finally {
    await server.stop();
  }
  return [...seen.values()].sort(
    (a, b) => a.id.localeCompare(b.id) || a.host.localeCompare(b.host) || a.pid - b.pid,
  );
}

/** The status table `nimbus status` prints: role, host, pid, started, last heartbeat (seconds ago). */
export function formatRoleStatus(beats: readonly RoleHeartbeat[], now = new Date()): string {
  const rows = [
    ['ROLE', 'HOST', 'PID', 'STARTED', 'LAST HEARTBEAT'],
    ...beats.map((b) => [
      b.id,
      b.host,
      String(b.pid),
      b.startedAt.replace(/\.\d+Z$/, 'Z'),
      `${Math.max(0, Math.round((now.getTime() - Date.parse(b.lastHeartbeat)) / 1000))}s ago`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
