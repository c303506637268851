import type { NotificationListener, RpcServer } from '@nimbus/bus';
import { InternalError } from '@nimbus/errors';
import { type PeriodicTask, startPeriodicTask } from './periodic-task';
import type { RoleContext, RoleDefinition, StartedRole } from './service-definition';

/** One running instance of a role: what `nimbus status` reports about it. */
export interface RoleInstanceInfo {
  /** Service id (`compute`, `object-storage`). */
  service: string;
  role: string;
  /** `<service>-<role>`. */
  id: string;
  host: string;
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  /** Base URL of its API, when it serves one. */
  url?: string;
  /** Names of its running periodic tasks. */
  periodic: string[];
}

/** A started role instance with the parts the runner started for it. */
export interface RunningRoleInstance {
  info: RoleInstanceInfo;
  started: StartedRole;
  tasks: PeriodicTask[];
  /** Stops listeners, RPC servers and tasks (waiting for passes under way), then the role itself. */
  stop(): Promise<void>;
}

/**
 * Starts one instance of a role: its `start`, then every RPC server, periodic task and
 * notification listener it declares, wired to what `start` returned. A declared part without an
 * implementation, or an implementation of an undeclared part, is a programming error (thrown, so
 * the declaration stays the truth that `--list` and status show).
 */
export async function startRoleInstance(
  serviceId: string,
  role: RoleDefinition,
  ctx: RoleContext<unknown>,
): Promise<RunningRoleInstance> {
  const id = `${serviceId}-${role.name}`;
  const started = await role.start(ctx);
  const stoppers: (() => Promise<void>)[] = [];
  const tasks: PeriodicTask[] = [];
  const stop = async () => {
    for (const fn of stoppers.reverse()) {
      try {
        await fn();
      } catch (err) {
        ctx.logger.warn({ err, role: id }, 'error while stopping a role');
      }
    }
    await started.stop?.();
  };
  try {
    const enabledTasks = (role.periodic ?? []).filter((t) => t.enabled?.(ctx.config) ?? true);
    const taskNames = (role.periodic ?? []).map((t) => t.name);
    checkImplemented(
      id,
      'periodic task',
      enabledTasks.map((t) => t.name),
      taskNames,
      started.periodic,
    );
    const topics = (role.rpc ?? []).map((r) => r.topic);
    checkImplemented(id, 'RPC server', topics, topics, started.rpc);
    const listeners = (role.notifications ?? []).map((n) => n.name);
    checkImplemented(id, 'notification listener', listeners, listeners, started.notifications);
    for (const r of role.rpc ?? []) {
      const server: RpcServer = await ctx.bus.rpcServer(
        { topic: r.topic, server: ctx.host },
        started.rpc![r.topic]!,
      );
      stoppers.push(() => server.stop());
    }
    for (const n of role.notifications ?? []) {
      const listener: NotificationListener = await ctx.bus.notificationListener(
        { topics: n.topics, pool: n.pool ?? id, eventTypes: n.eventTypes, priorities: n.priorities },
        started.notifications![n.name]!,
      );
      stoppers.push(() => listener.stop());
    }
    for (const t of enabledTasks) {
      const task = startPeriodicTask({
        name: t.name,
        intervalSeconds:
          typeof t.intervalSeconds === 'number' ? t.intervalSeconds : t.intervalSeconds(ctx.config),
        jitter: t.jitter,
        initialDelaySeconds: t.initialDelaySeconds,
        maxBackoffSeconds: t.maxBackoffSeconds,
        run: started.periodic![t.name]!,
        logger: ctx.logger,
      });
      tasks.push(task);
      stoppers.push(() => task.stop());
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    info: {
      service: serviceId,
      role: role.name,
      id,
      host: ctx.host,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      periodic: tasks.map((t) => t.name),
    },
    started,
    tasks,
    stop,
  };
}

function checkImplemented(
  role: string,
  kind: string,
  required: readonly string[],
  declared: readonly string[],
  given: Record<string, unknown> | undefined,
): void {
  const missing = required.filter((name) => !given?.[name]);
  const undeclared = Object.keys(given ?? {}).filter((name) => !declared.includes(name));
  if (missing.length || undeclared.length) {
    throw new InternalError(
      `Role ${role}: ${kind}s declared but not implemented: [${missing.join(', ')}]; implemented but not declared: [${undeclared.join(', ')}]`,
      { code: 'SERVICE_ROLE_MISMATCH' },
    );
  }
}
