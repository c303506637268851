import { DuplicateEntryError, nowTimestamp } from '@nimbus/db';
import { NotFoundError } from '@nimbus/errors';
import type {
  AssociationRecord,
  MetadefItem,
  MetadefRepository,
  NamespaceRecord,
} from '../db/repositories/metadef-repository';
import type { ImageCaller } from './image-caller';
import { badRequest, conflict, forbidden } from './image-errors';

/** Which member list of a namespace. */
export type MetadefKind = 'objects' | 'properties' | 'tags';

const SINGULAR: Record<MetadefKind, string> = { objects: 'object', properties: 'property', tags: 'tag' };

/** Glance's 404 for a namespace that does not exist or that the caller may not see. */
export const namespaceNotFound = (ns: string) =>
  new NotFoundError(`Metadata definition namespace=${ns} was not found.`, {
    code: 'IMAGE_METADEF_NAMESPACE_NOT_FOUND',
  });
const itemNotFound = (kind: MetadefKind, name: string, ns: string) =>
  new NotFoundError(`Metadata definition ${SINGULAR[kind]}=${name} was not found in namespace=${ns}.`, {
    code: 'IMAGE_METADEF_NOT_FOUND',
  });

/**
 * Metadata definitions (metadefs): namespaces, visible to all when public and to their owner
 * otherwise, with their objects, properties and tags, and their associations with resource types.
 * Protected namespaces cannot be deleted. Only admins and owners change them.
 */
export class MetadefManager {
  constructor(private readonly repo: MetadefRepository) {}

  async get(caller: ImageCaller, ns: string): Promise<NamespaceRecord> {
    const n = await this.repo.get(ns);
    if (!n || (n.visibility !== 'public' && !caller.isAdmin && n.owner !== caller.projectId))
      throw namespaceNotFound(ns);
    return n;
  }

  async list(
    caller: ImageCaller,
    f: { visibility?: string; resourceTypes?: string[] } = {},
  ): Promise<NamespaceRecord[]> {
    const all = (await this.repo.list()).filter(
      (n) => n.visibility === 'public' || caller.isAdmin || n.owner === caller.projectId,
    );
    const byVisibility = f.visibility ? all.filter((n) => n.visibility === f.visibility) : all;
    if (!f.resourceTypes?.length) return byVisibility;
    const out: NamespaceRecord[] = [];
    for (const n of byVisibility)
      if ((await this.repo.associations(n.namespace)).some((a) => f.resourceTypes!.includes(a.resourceType)))
        out.push(n);
    return out;
  }

  async create(caller: ImageCaller, body: Record<string, any>): Promise<NamespaceRecord> {
    const now = nowTimestamp();
    const items = (list: unknown, kind: MetadefKind): MetadefItem[] =>
      Array.isArray(list)
        ? list.map((b: Record<string, unknown>) => ({
            name: String(b.name),
            body: rest(b),
            createdAt: now,
            updatedAt: now,
          }))
        : kind === 'properties' && list && typeof list === 'object'
          ? Object.entries(list).map(([name, b]) => ({
              name,
              body: b as Record<string, unknown>,
              createdAt: now,
              updatedAt: now,
            }))
          : [];
    try {
      const created = await this.repo.create({
        namespace: body.namespace,
        displayName: body.display_name ?? null,
        description: body.description ?? null,
        visibility: body.visibility ?? 'private',
        protected: body.protected ?? false,
        owner: body.owner ?? caller.projectId ?? null,
        objects: items(body.objects, 'objects'),
        properties: items(body.properties, 'properties'),
        tags: items(body.tags, 'tags'),
      });
      for (const a of (body.resource_type_associations as Record<string, string>[] | undefined) ?? []) {
        await this.repo.associate({
          namespace: created.namespace,
          resourceType: a.name!,
          prefix: a.prefix ?? null,
          propertiesTarget: a.properties_target ?? null,
        });
      }
      return created;
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw conflict(`Metadata definition namespace=${body.namespace} already exists.`);
      throw err;
    }
  }

  async update(caller: ImageCaller, ns: string, body: Record<string, any>): Promise<NamespaceRecord> {
    await this.owned(caller, ns);
    try {
      return (await this.repo.modify(ns, (n) => ({
        ...n,
        namespace: body.namespace ?? n.namespace,
        displayName: body.display_name ?? n.displayName,
        description: body.description ?? n.description,
        visibility: body.visibility ?? n.visibility,
        protected: body.protected ?? n.protected,
        owner: body.owner ?? n.owner,
      })))!;
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw conflict(`Metadata definition namespace=${body.namespace} already exists.`);
      throw err;
    }
  }

  async delete(caller: ImageCaller, ns: string): Promise<void> {
    const n = await this.owned(caller, ns);
    if (n.protected) throw forbidden(`Namespace ${ns} is protected and cannot be deleted.`);
    await this.repo.delete(ns);
  }

  async item(caller: ImageCaller, ns: string, kind: MetadefKind, name: string): Promise<MetadefItem> {
    const found = (await this.get(caller, ns))[kind].find((i) => i.name === name);
    if (!found) throw itemNotFound(kind, name, ns);
    return found;
  }

  async addItem(
    caller: ImageCaller,
    ns: string,
    kind: MetadefKind,
    name: string,
    body: Record<string, unknown>,
  ): Promise<MetadefItem> {
    await this.owned(caller, ns);
    if (!name) throw badRequest(`A ${SINGULAR[kind]} needs a name.`);
    const now = nowTimestamp();
    const item = { name, body, createdAt: now, updatedAt: now };
    await this.repo.modify(ns, (n) => {
      if (n[kind].some((i) => i.name === name))
        throw conflict(
          `A metadata definition ${SINGULAR[kind]} with name=${name} already exists in namespace=${ns}.`,
        );
      return { ...n, [kind]: [...n[kind], item] };
    });
    return item;
  }

  async updateItem(
    caller: ImageCaller,
    ns: string,
    kind: MetadefKind,
    name: string,
    newName: string,
    body: Record<string, unknown>,
  ): Promise<MetadefItem> {
    await this.owned(caller, ns);
    let updated: MetadefItem | undefined;
    await this.repo.modify(ns, (n) => {
      const current = n[kind].find((i) => i.name === name);
      if (!current) throw itemNotFound(kind, name, ns);
      if (newName !== name && n[kind].some((i) => i.name === newName))
        throw conflict(
          `A metadata definition ${SINGULAR[kind]} with name=${newName} already exists in namespace=${ns}.`,
        );
      updated = { ...current, name: newName, body, updatedAt: nowTimestamp() };
      return { ...n, [kind]: n[kind].map((i) => (i.name === name ? updated! : i)) };
    });
    return updated!;
  }

  async deleteItem(caller: ImageCaller, ns: string, kind: MetadefKind, name: string): Promise<void> {
    await this.owned(caller, ns);
    await this.repo.modify(ns, (n) => {
      if (!n[kind].some((i) => i.name === name)) throw itemNotFound(kind, name, ns);
      return { ...n, [kind]: n[kind].filter((i) => i.name !== name) };
    });
  }

  /** Replaces (or, with `append`, extends) a namespace's tags. */
  async setTags(caller: ImageCaller, ns: string, names: string[], append: boolean): Promise<MetadefItem[]> {
    await this.owned(caller, ns);
    if (new Set(names).size !== names.length) throw conflict('Duplicate tags in the request.');
    const now = nowTimestamp();
    const fresh = names.map((name) => ({ name, body: {}, createdAt: now, updatedAt: now }));
    const next = await this.repo.modify(ns, (n) => {
      if (append && fresh.some((t) => n.tags.some((x) => x.name === t.name)))
        throw conflict('A tag in the request already exists in the namespace.');
      return { ...n, tags: append ? [...n.tags, ...fresh] : fresh };
    });
    return next!.tags;
  }

  async resourceTypes(): Promise<{ name: string; createdAt: string; updatedAt: string }[]> {
    return this.repo.resourceTypes();
  }

  async associations(caller: ImageCaller, ns: string): Promise<AssociationRecord[]> {
    await this.get(caller, ns);
    return this.repo.associations(ns);
  }

  async associate(
    caller: ImageCaller,
    ns: string,
    body: { name: string; prefix?: string; properties_target?: string },
  ): Promise<AssociationRecord> {
    await this.owned(caller, ns);
    try {
      return await this.repo.associate({
        namespace: ns,
        resourceType: body.name,
        prefix: body.prefix ?? null,
        propertiesTarget: body.properties_target ?? null,
      });
    } catch (err) {
      if (err instanceof DuplicateEntryError)
        throw conflict(
          `The metadata definition resource-type association of resource-type=${body.name} to namespace=${ns}, already exists.`,
        );
      throw err;
    }
  }

  async dissociate(caller: ImageCaller, ns: string, resourceType: string): Promise<void> {
    await this.owned(caller, ns);
    if (!(await this.repo.dissociate(ns, resourceType))) {
      throw new NotFoundError(
        `The metadata definition resource-type association of resource-type=${resourceType} to namespace=${ns}, was not found.`,
        { code: 'IMAGE_METADEF_ASSOCIATION_NOT_FOUND' },
      );
    }
  }

  private async owned(caller: ImageCaller, ns: string): Promise<NamespaceRecord> {
    const n = await this.get(caller, ns);
    if (!caller.isAdmin && n.owner !== caller.projectId)
      throw forbidden(`You are not permitted to modify namespace ${ns}.`);
    return n;
  }
}

function rest(b: Record<string, unknown>): Record<string, unknown> {
  const { name: _name, ...others } = b;
  return others;
}
