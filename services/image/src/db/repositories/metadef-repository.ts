import { type Database, fromJson, nowTimestamp, run, toBoolean, toJson } from '@nimbus/db';

/** A named member of a namespace (object, property or tag) with its own times. */
export interface MetadefItem {
  name: string;
  body: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A metadata-definition namespace with its objects, properties and tags. */
export interface NamespaceRecord {
  namespace: string;
  displayName: string | null;
  description: string | null;
  visibility: 'public' | 'private';
  protected: boolean;
  owner: string | null;
  objects: MetadefItem[];
  properties: MetadefItem[];
  tags: MetadefItem[];
  createdAt: string;
  updatedAt: string;
}

/** A namespace's association with a resource type. */
export interface AssociationRecord {
  namespace: string;
  resourceType: string;
  prefix: string | null;
  propertiesTarget: string | null;
  createdAt: string;
  updatedAt: string;
}

type NsRow = {
  namespace: string;
  display_name: string | null;
  description: string | null;
  visibility: NamespaceRecord['visibility'];
  protected: unknown;
  owner: string | null;
  objects: string;
  properties: string;
  tags: string;
  created_at: string;
  updated_at: string;
};

const toNs = (r: NsRow): NamespaceRecord => ({
  namespace: r.namespace,
  displayName: r.display_name,
  description: r.description,
  visibility: r.visibility,
  protected: toBoolean(r.protected),
  owner: r.owner,
  objects: fromJson(r.objects, []),
  properties: fromJson(r.properties, []),
  tags: fromJson(r.tags, []),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Reads and writes metadata-definition namespaces, resource types and associations. */
export class MetadefRepository {
  constructor(private readonly db: Database) {}

  async create(ns: Omit<NamespaceRecord, 'createdAt' | 'updatedAt'>): Promise<NamespaceRecord> {
    const now = nowTimestamp();
    await run(() =>
      this.db.kysely
        .insertInto('metadef_namespace')
        .values({
          namespace: ns.namespace,
          display_name: ns.displayName,
          description: ns.description,
          visibility: ns.visibility,
          protected: ns.protected,
          owner: ns.owner,
          objects: toJson(ns.objects),
          properties: toJson(ns.properties),
          tags: toJson(ns.tags),
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    return { ...ns, createdAt: now, updatedAt: now };
  }

  async get(namespace: string): Promise<NamespaceRecord | undefined> {
    const r = (await this.db.kysely
      .selectFrom('metadef_namespace')
      .selectAll()
      .where('namespace', '=', namespace)
      .executeTakeFirst()) as NsRow | undefined;
    return r && toNs(r);
  }

  async list(): Promise<NamespaceRecord[]> {
    return (
      (await this.db.kysely
        .selectFrom('metadef_namespace')
        .selectAll()
        .orderBy('namespace')
        .execute()) as NsRow[]
    ).map(toNs);
  }

  /** Rewrites a namespace (renames included) inside one transaction with `change` computing the new state. */
  async modify(
    namespace: string,
    change: (ns: NamespaceRecord) => NamespaceRecord,
  ): Promise<NamespaceRecord | undefined> {
    return this.db.transaction(async (t) => {
      const r = (await t
        .selectFrom('metadef_namespace')
        .selectAll()
        .where('namespace', '=', namespace)
        .executeTakeFirst()) as NsRow | undefined;
      if (!r) return undefined;
      const next = { ...change(toNs(r)), updatedAt: nowTimestamp() };
      await t
        .updateTable('metadef_namespace')
        .set({
          namespace: next.namespace,
          display_name: next.displayName,
          description: next.description,
          visibility: next.visibility,
          protected: next.protected,
          owner: next.owner,
          objects: toJson(next.objects),
          properties: toJson(next.properties),
          tags: toJson(next.tags),
          updated_at: next.updatedAt,
        })
        .where('namespace', '=', namespace)
        .execute();
      return next;
    });
  }

  async delete(namespace: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t.deleteFrom('metadef_association').where('namespace', '=', namespace).execute();
      await t.deleteFrom('metadef_namespace').where('namespace', '=', namespace).execute();
    });
  }

  async resourceTypes(): Promise<{ name: string; createdAt: string; updatedAt: string }[]> {
    const rows = (await this.db.kysely
      .selectFrom('metadef_resource_type')
      .selectAll()
      .orderBy('name')
      .execute()) as { name: string; created_at: string; updated_at: string }[];
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async associations(namespace: string): Promise<AssociationRecord[]> {
    const rows = (await this.db.kysely
      .selectFrom('metadef_association')
      .selectAll()
      .where('namespace', '=', namespace)
      .orderBy('resource_type')
      .execute()) as {
      namespace: string;
      resource_type: string;
      prefix: string | null;
      properties_target: string | null;
      created_at: string;
      updated_at: string;
    }[];
    return rows.map((r) => ({
      namespace: r.namespace,
      resourceType: r.resource_type,
      prefix: r.prefix,
      propertiesTarget: r.properties_target,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  /** Associates a namespace with a resource type, creating the type when it is new. */
  async associate(a: Omit<AssociationRecord, 'createdAt' | 'updatedAt'>): Promise<AssociationRecord> {
    const now = nowTimestamp();
    await this.db.transaction(async (t) => {
      const known = await t
        .selectFrom('metadef_resource_type')
        .select('name')
        .where('name', '=', a.resourceType)
        .executeTakeFirst();
      if (!known)
        await t
          .insertInto('metadef_resource_type')
          .values({ name: a.resourceType, protected: false, created_at: now, updated_at: now })
          .execute();
      await t
        .insertInto('metadef_association')
        .values({
          namespace: a.namespace,
          resource_type: a.resourceType,
          prefix: a.prefix,
          properties_target: a.propertiesTarget,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return { ...a, createdAt: now, updatedAt: now };
  }

  async dissociate(namespace: string, resourceType: string): Promise<boolean> {
    const r = await this.db.kysely
      .deleteFrom('metadef_association')
      .where('namespace', '=', namespace)
      .where('resource_type', '=', resourceType)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
