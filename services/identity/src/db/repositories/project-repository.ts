import { type Database, fromJson, nowTimestamp, run, toBoolean, toJson } from '@nimbus/db';

/** A project or a domain (a project with `isDomain`), as identity stores them. */
export interface ProjectRecord {
  id: string;
  name: string;
  domainId: string;
  parentId: string | null;
  isDomain: boolean;
  enabled: boolean;
  description: string;
  tags: string[];
  extra: Record<string, unknown>;
  createdAt: string;
}

/** Filters of a project list, as the API's query string gives them. */
export interface ProjectFilter {
  name?: string;
  domainId?: string;
  parentId?: string;
  isDomain?: boolean;
  enabled?: boolean;
  /** Every tag must be present. */
  tags?: string[];
  /** At least one tag must be present. */
  tagsAny?: string[];
}

/** The root that domains hang from, as Keystone names it. */
export const DOMAIN_ROOT = '<<keystone.domain.root>>';

type Row = {
  id: string;
  name: string;
  domain_id: string;
  parent_id: string | null;
  is_domain: unknown;
  enabled: unknown;
  description: string | null;
  extra: string | null;
  created_at: string;
};

/** Reads and writes projects and domains; the only code that knows their tables. */
export class ProjectRepository {
  constructor(private readonly db: Database) {}

  async create(p: Omit<ProjectRecord, 'createdAt'>): Promise<ProjectRecord> {
    const createdAt = nowTimestamp();
    await this.db.transaction(async (t) => {
      await t
        .insertInto('project')
        .values({
          id: p.id,
          name: p.name,
          domain_id: p.domainId,
          parent_id: p.parentId,
          is_domain: p.isDomain,
          enabled: p.enabled,
          description: p.description,
          extra: toJson(p.extra),
          created_at: createdAt,
        })
        .execute();
      for (const tag of new Set(p.tags))
        await t.insertInto('project_tag').values({ project_id: p.id, name: tag }).execute();
    });
    return { ...p, createdAt };
  }

  async get(id: string): Promise<ProjectRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('project')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as Row | undefined;
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async getByName(name: string, domainId: string): Promise<ProjectRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('project')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId)
      .executeTakeFirst()) as Row | undefined;
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async list(f: ProjectFilter = {}): Promise<ProjectRecord[]> {
    let q = this.db.kysely.selectFrom('project').selectAll().where('id', '!=', DOMAIN_ROOT);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.domainId !== undefined) q = q.where('domain_id', '=', f.domainId);
    if (f.parentId !== undefined) q = q.where('parent_id', '=', f.parentId);
    if (f.isDomain !== undefined) q = q.where('is_domain', '=', f.isDomain ? 1 : 0);
    if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled ? 1 : 0);
    const projects = await this.withTags((await q.orderBy('id').execute()) as Row[]);
    return projects.filter(
      (p) =>
        (!f.tags || f.tags.every((t) => p.tags.includes(t))) &&
        (!f.tagsAny || f.tagsAny.some((t) => p.tags.includes(t))),
    );
  }

  async update(
    id: string,
    changes: Partial<Pick<ProjectRecord, 'name' | 'enabled' | 'description' | 'extra' | 'tags'>>,
  ): Promise<void> {
    await this.db.transaction(async (t) => {
      const set: Record<string, unknown> = {};
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.enabled !== undefined) set.enabled = changes.enabled;
      if (changes.description !== undefined) set.description = changes.description;
      if (changes.extra !== undefined) set.extra = toJson(changes.extra);
      if (Object.keys(set).length) await t.updateTable('project').set(set).where('id', '=', id).execute();
      if (changes.tags) {
        await t.deleteFrom('project_tag').where('project_id', '=', id).execute();
        for (const tag of new Set(changes.tags))
          await t.insertInto('project_tag').values({ project_id: id, name: tag }).execute();
      }
    });
  }

  async delete(id: string): Promise<void> {
    await run(() => this.db.kysely.deleteFrom('project').where('id', '=', id).execute());
  }

  /** Ancestors of a project, nearest first, stopping below the domain root (`parents_as_list`). */
  async parents(id: string): Promise<ProjectRecord[]> {
    const out: ProjectRecord[] = [];
    let current = await this.get(id);
    const seen = new Set<string>();
    while (current?.parentId && current.parentId !== DOMAIN_ROOT && !seen.has(current.parentId)) {
      seen.add(current.parentId);
      const parent = await this.get(current.parentId);
      if (!parent) break;
      out.push(parent);
      current = parent;
    }
    return out;
  }

  /** Every descendant of a project, breadth first (`subtree_as_list`). */
  async subtree(id: string): Promise<ProjectRecord[]> {
    const out: ProjectRecord[] = [];
    let frontier = [id];
    const seen = new Set(frontier);
    while (frontier.length) {
      const rows = (await this.db.kysely
        .selectFrom('project')
        .selectAll()
        .where('parent_id', 'in', frontier)
        .orderBy('id')
        .execute()) as Row[];
      const children = (await this.withTags(rows)).filter((c) => !seen.has(c.id));
      for (const c of children) seen.add(c.id);
      out.push(...children);
      frontier = children.map((c) => c.id);
    }
    return out;
  }

  private async withTags(rows: Row[]): Promise<ProjectRecord[]> {
    if (rows.length === 0) return [];
    const tags = (await this.db.kysely
      .selectFrom('project_tag')
      .select(['project_id', 'name'])
      .where(
        'project_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('name')
      .execute()) as { project_id: string; name: string }[];
    const byProject = new Map<string, string[]>();
    for (const t of tags) byProject.set(t.project_id, [...(byProject.get(t.project_id) ?? []), t.name]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      domainId: r.domain_id,
      parentId: r.parent_id,
      isDomain: toBoolean(r.is_domain),
      enabled: toBoolean(r.enabled),
      description: r.description ?? '',
      tags: byProject.get(r.id) ?? [],
      extra: fromJson(r.extra, {}),
      createdAt: r.created_at,
    }));
  }
}
