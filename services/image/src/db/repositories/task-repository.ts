import { type Database, fromJson, nowTimestamp, toJson } from '@nimbus/db';

/** A task (`/v2/tasks`, `/v2/images/{id}/tasks`) as the image service keeps it. */
export interface TaskRecord {
  id: string;
  /** `import` (the tasks API's own) or `api_image_import` (the interoperable import). */
  type: string;
  status: 'pending' | 'processing' | 'success' | 'failure';
  owner: string;
  imageId: string | null;
  requestId: string | null;
  userId: string | null;
  input: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  message: string;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = {
  id: string;
  type: string;
  status: TaskRecord['status'];
  owner: string;
  image_id: string | null;
  request_id: string | null;
  user_id: string | null;
  input: string | null;
  result: string | null;
  message: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
};

const toRecord = (r: Row): TaskRecord => ({
  id: r.id,
  type: r.type,
  status: r.status,
  owner: r.owner,
  imageId: r.image_id,
  requestId: r.request_id,
  userId: r.user_id,
  input: fromJson(r.input, null),
  result: fromJson(r.result, null),
  message: r.message,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** One page of tasks: filters, sort and marker as `GET /v2/tasks` takes them. */
export interface TaskListSpec {
  owner?: string;
  type?: string;
  status?: string;
  sortKey: 'created_at' | 'updated_at' | 'id' | 'type' | 'status';
  sortDir: 'asc' | 'desc';
  marker?: TaskRecord;
  limit: number;
}

const SORT_COLUMNS = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  id: 'id',
  type: 'type',
  status: 'status',
};

/** Reads and writes tasks; expired ones are not found and are purged by `purgeExpired`. */
export class TaskRepository {
  constructor(private readonly db: Database) {}

  async create(t: Omit<TaskRecord, 'createdAt' | 'updatedAt' | 'result' | 'expiresAt'>): Promise<TaskRecord> {
    const now = nowTimestamp();
    await this.db.kysely
      .insertInto('task')
      .values({
        id: t.id,
        type: t.type,
        status: t.status,
        owner: t.owner,
        image_id: t.imageId,
        request_id: t.requestId,
        user_id: t.userId,
        input: toJson(t.input),
        result: null,
        message: t.message,
        expires_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { ...t, result: null, expiresAt: null, createdAt: now, updatedAt: now };
  }

  /** Moves a task on; a finished task (success or failure) expires `ttlHours` later. */
  async update(
    id: string,
    changes: { status: TaskRecord['status']; message?: string; result?: Record<string, unknown> | null },
    ttlHours: number,
  ): Promise<void> {
    const now = new Date();
    const set: Record<string, unknown> = { status: changes.status, updated_at: nowTimestamp(now) };
    if (changes.message !== undefined) set.message = changes.message;
    if (changes.result !== undefined) set.result = toJson(changes.result);
    if (changes.status === 'success' || changes.status === 'failure')
      set.expires_at = nowTimestamp(new Date(now.getTime() + ttlHours * 3_600_000));
    await this.db.kysely.updateTable('task').set(set).where('id', '=', id).execute();
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const row = (await this.live().where('id', '=', id).executeTakeFirst()) as Row | undefined;
    return row && toRecord(row);
  }

  /** The image's tasks, oldest first. */
  async forImage(imageId: string): Promise<TaskRecord[]> {
    const rows = (await this.live().where('image_id', '=', imageId).orderBy('created_at').execute()) as Row[];
    return rows.map(toRecord);
  }

  /** One page (limit + 1 rows read, to tell whether more follow). */
  async page(spec: TaskListSpec): Promise<{ tasks: TaskRecord[]; more: boolean }> {
    const col = SORT_COLUMNS[spec.sortKey];
    let q = this.live();
    if (spec.owner !== undefined) q = q.where('owner', '=', spec.owner);
    if (spec.type !== undefined) q = q.where('type', '=', spec.type);
    if (spec.status !== undefined) q = q.where('status', '=', spec.status);
    const m = spec.marker;
    if (m) {
      const value = (toRow(m) as Record<string, unknown>)[col];
      const cmp = spec.sortDir === 'asc' ? '>' : '<';
      q = q.where((eb) => eb.or([eb(col, cmp, value), eb.and([eb(col, '=', value), eb('id', cmp, m.id)])]));
    }
    const rows = (await q
      .orderBy(col, spec.sortDir)
      .orderBy('id', spec.sortDir)
      .limit(spec.limit + 1)
      .execute()) as Row[];
    return { tasks: rows.slice(0, spec.limit).map(toRecord), more: rows.length > spec.limit };
  }

  /** Deletes tasks past their expiry; returns how many. */
  async purgeExpired(): Promise<number> {
    const r = await this.db.kysely
      .deleteFrom('task')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<', nowTimestamp())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private live() {
    return this.db.kysely
      .selectFrom('task')
      .selectAll()
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>=', nowTimestamp())]));
  }
}

const toRow = (t: TaskRecord) => ({
  id: t.id,
  type: t.type,
  status: t.status,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});
