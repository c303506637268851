import { randomUUID } from 'node:crypto';
import { type Database, fromJson, nowTimestamp, toJson } from '@nimbus/db';
import type { ComputeTables } from './compute-tables';

/** A host aggregate. */
export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  metadata: Record<string, string>;
  hosts: string[];
  createdAt: string;
  updatedAt: string | null;
}

/** Host aggregates; an aggregate's `availability_zone` metadata puts its hosts in that zone. */
export class AggregateRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  async all(): Promise<Aggregate[]> {
    const rows = await this.db.kysely.selectFrom('aggregates').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      uuid: r.uuid,
      name: r.name,
      metadata: fromJson(r.metadata, {}),
      hosts: fromJson(r.hosts, []),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async get(id: string): Promise<Aggregate | undefined> {
    return (await this.all()).find((a) => String(a.id) === id || a.uuid === id);
  }

  async create(name: string, metadata: Record<string, string>): Promise<Aggregate> {
    await this.db.kysely
      .insertInto('aggregates')
      .values({
        uuid: randomUUID(),
        name,
        metadata: toJson(metadata),
        hosts: toJson([]),
        created_at: nowTimestamp(),
        updated_at: null,
      })
      .execute();
    return (await this.all()).filter((a) => a.name === name).at(-1)!;
  }

  async update(
    id: number,
    changes: { name?: string; metadata?: Record<string, string>; hosts?: string[] },
  ): Promise<void> {
    const values: Record<string, unknown> = { updated_at: nowTimestamp() };
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.metadata !== undefined) values.metadata = toJson(changes.metadata);
    if (changes.hosts !== undefined) values.hosts = toJson(changes.hosts);
    await this.db.kysely.updateTable('aggregates').set(values).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.kysely.deleteFrom('aggregates').where('id', '=', id).execute();
  }

  /** Each host's availability zone from its aggregates (hosts in none are in the default zone). */
  async zones(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const a of await this.all()) {
      const az = a.metadata.availability_zone;
      if (az) for (const h of a.hosts) if (!out.has(h)) out.set(h, az);
    }
    return out;
  }
}
