import type { RpcContext } from '@nimbus/bus';
import { type Database, fromJson, nowTimestamp, toJson } from '@nimbus/db';
import type { ComputeTables } from './compute-tables';

/** One event of an instance action (`compute_stop_instance`...). */
export interface ActionEvent {
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
  host: string | null;
}

/** An instance action as `os-instance-actions` shows it. */
export interface InstanceAction {
  instanceUuid: string;
  action: string;
  requestId: string;
  userId: string;
  projectId: string;
  message: string | null;
  startTime: string;
  updatedAt: string | null;
  events: ActionEvent[];
}

/** Instance actions and their events. */
export class InstanceActionRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  /** Records that `action` started on an instance, under the request's id. */
  async start(instanceUuid: string, action: string, ctx: RpcContext): Promise<void> {
    await this.db.kysely
      .insertInto('instance_actions')
      .values({
        instance_uuid: instanceUuid,
        action,
        request_id: ctx.requestId ?? `req-${crypto.randomUUID()}`,
        user_id: ctx.userId ?? '',
        project_id: ctx.projectId ?? '',
        message: null,
        events: toJson([]),
        start_time: nowTimestamp(),
        updated_at: null,
      })
      .execute();
  }

  /** Adds a finished event to the instance's newest action (`result` Success or Error). */
  async event(
    instanceUuid: string,
    event: string,
    host: string | null,
    ok: boolean,
    startTime: string,
    message?: string,
  ): Promise<void> {
    const row = await this.db.kysely
      .selectFrom('instance_actions')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return;
    const events = fromJson<ActionEvent[]>(row.events, []);
    const now = nowTimestamp();
    events.push({ event, start_time: startTime, finish_time: now, result: ok ? 'Success' : 'Error', host });
    await this.db.kysely
      .updateTable('instance_actions')
      .set({ events: toJson(events), updated_at: now, ...(ok ? {} : { message: message ?? 'Error' }) })
      .where('id', '=', row.id)
      .execute();
  }

  async list(instanceUuid: string): Promise<InstanceAction[]> {
    const rows = await this.db.kysely
      .selectFrom('instance_actions')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      instanceUuid: r.instance_uuid,
      action: r.action,
      requestId: r.request_id,
      userId: r.user_id,
      projectId: r.project_id,
      message: r.message,
      startTime: r.start_time,
      updatedAt: r.updated_at,
      events: fromJson(r.events, []),
    }));
  }
}
