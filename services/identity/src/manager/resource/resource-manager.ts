import { randomUUID } from 'node:crypto';
import { DuplicateEntryError } from '@nimbus/db';
import {
  DOMAIN_ROOT,
  type ProjectFilter,
  type ProjectRecord,
  type ProjectRepository,
} from '../../db/repositories/project-repository';
import type { IdentityEvents } from '../identity-events';
import { conflict, forbidden, invalid, notFound, tagNotFound } from './resource-errors';

/** Fields a caller gives when creating a project or a domain. */
export interface ProjectInput {
  id?: string;
  name: string;
  description?: string;
  enabled?: boolean;
  domainId?: string;
  parentId?: string | null;
  isDomain?: boolean;
  tags?: string[];
  extra?: Record<string, unknown>;
}

/** Fields an update may change. */
export type ProjectChanges = Partial<
  Pick<ProjectRecord, 'name' | 'description' | 'enabled' | 'tags' | 'extra'>
> & { domainId?: string; parentId?: string | null; isDomain?: boolean };

/** Keystone's `[resource]` limits. */
export interface ResourceOptions {
  maxProjectTreeDepth: number;
}

const newId = () => randomUUID().replaceAll('-', '');

/**
 * Domains and projects, one hierarchy as in Keystone: a domain is a project acting as one (its
 * `domain_id` is the root sentinel), a top-level project's parent is its domain. Enforces the
 * hierarchy rules (same domain as the parent, depth limit, enabled branch), refuses to delete a
 * non-leaf or an enabled domain, and announces disables and deletions so tokens are revoked.
 */
export class ResourceManager {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly events: IdentityEvents,
    private readonly options: ResourceOptions,
  ) {}

  // Domains -----------------------------------------------------------------------------------

  async getDomain(id: string): Promise<ProjectRecord> {
    const d = await this.projects.get(id);
    if (!d?.isDomain) throw notFound('domain', id);
    return d;
  }

  async findDomain(id: string): Promise<ProjectRecord | undefined> {
    const d = await this.projects.get(id);
    return d?.isDomain ? d : undefined;
  }

  async findDomainByName(name: string): Promise<ProjectRecord | undefined> {
    return this.projects.getByName(name, DOMAIN_ROOT);
  }

  listDomains(f: { name?: string; enabled?: boolean } = {}): Promise<ProjectRecord[]> {
    return this.projects.list({ ...f, domainId: DOMAIN_ROOT, isDomain: true });
  }

  async createDomain(
    input: Omit<ProjectInput, 'domainId' | 'parentId' | 'isDomain'>,
  ): Promise<ProjectRecord> {
    await this.ensureRoot();
    return this.insert(
      {
        id: input.id ?? newId(),
        name: input.name,
        domainId: DOMAIN_ROOT,
        parentId: null,
        isDomain: true,
        enabled: input.enabled ?? true,
        description: input.description ?? '',
        tags: input.tags ?? [],
        extra: input.extra ?? {},
      },
      'domain',
    );
  }

  async updateDomain(id: string, changes: ProjectChanges): Promise<ProjectRecord> {
    const before = await this.getDomain(id);
    const after = await this.applyUpdate(before, changes, 'domain');
    if (before.enabled && !after.enabled) await this.events.domainDisabled(id);
    return after;
  }

  /** Deletes a disabled domain with its projects; users, groups and roles of it go through the events. */
  async deleteDomain(id: string): Promise<void> {
    const d = await this.getDomain(id);
    if (d.enabled) throw forbidden('Cannot delete a domain that is enabled, please disable it first.');
    const inDomain = await this.projects.list({ domainId: id });
    const byDepth = await this.deepestFirst(inDomain);
    for (const p of byDepth) {
      await this.projects.delete(p.id);
      await this.events.projectDeleted(p.id);
    }
    await this.events.domainDeleted(id);
    await this.projects.delete(id);
  }

  // Projects ----------------------------------------------------------------------------------

  async getProject(id: string): Promise<ProjectRecord> {
    const p = await this.projects.get(id);
    if (!p || p.id === DOMAIN_ROOT) throw notFound('project', id);
    return p;
  }

  async findProject(id: string): Promise<ProjectRecord | undefined> {
    const p = await this.projects.get(id);
    return p && p.id !== DOMAIN_ROOT ? p : undefined;
  }

  findProjectByName(name: string, domainId: string): Promise<ProjectRecord | undefined> {
    return this.projects.getByName(name, domainId);
  }

  /** Projects, domains acting as projects included when `isDomain` is asked for (Keystone lists only `is_domain=false` by default). */
  listProjects(
    f: ProjectFilter & { notTags?: string[]; notTagsAny?: string[]; ids?: readonly string[] } = {},
  ): Promise<ProjectRecord[]> {
    const { notTags, notTagsAny, ids, ...filter } = f;
    return this.projects
      .list({ isDomain: false, ...filter })
      .then((list) =>
        list.filter(
          (p) =>
            (!ids || ids.includes(p.id)) &&
            (!notTags || !notTags.every((t) => p.tags.includes(t))) &&
            (!notTagsAny || !notTagsAny.some((t) => p.tags.includes(t))),
        ),
      );
  }

  async createProject(input: ProjectInput): Promise<ProjectRecord> {
    if (input.isDomain) {
      if (input.parentId) throw invalid('only root projects are allowed to act as domains.');
      return this.createDomain(input);
    }
    let parent: ProjectRecord | undefined;
    if (input.parentId) {
      parent = await this.projects.get(input.parentId);
      if (!parent || parent.id === DOMAIN_ROOT) throw notFound('project', input.parentId);
    }
    const domainId = input.domainId ?? (parent ? (parent.isDomain ? parent.id : parent.domainId) : undefined);
    if (!domainId)
      throw invalid(
        'Expecting to find domain_id in project. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
      );
    const domain = await this.findDomain(domainId);
    if (!domain) throw notFound('domain', domainId);
    parent ??= domain;
    if (parent.isDomain && parent.id !== domain.id) {
      throw invalid(
        `Cannot create project, the parent (${parent.id}) is acting as a domain, but this project's domain id (${domain.id}) does not match the parent's id.`,
      );
    }
    if (!parent.isDomain && parent.domainId !== domain.id) {
      throw invalid(
        `Cannot create project, since it specifies its domain_id ${domain.id}, but specifies a parent in a different domain (${parent.domainId}).`,
      );
    }
    if (!parent.isDomain) {
      const chain = [parent, ...(await this.projects.parents(parent.id)).filter((p) => !p.isDomain)];
      const disabled = chain.find((p) => !p.enabled);
      if (disabled)
        throw invalid(`cannot create a project in a branch containing a disabled project: ${disabled.id}`);
      if (chain.length + 1 > this.options.maxProjectTreeDepth)
        throw forbidden(`Max hierarchy depth reached for ${parent.id} branch.`);
    }
    return this.insert(
      {
        id: input.id ?? newId(),
        name: input.name,
        domainId: domain.id,
        parentId: parent.id,
        isDomain: false,
        enabled: input.enabled ?? true,
        description: input.description ?? '',
        tags: input.tags ?? [],
        extra: input.extra ?? {},
      },
      'project',
    );
  }

  async updateProject(id: string, changes: ProjectChanges): Promise<ProjectRecord> {
    const before = await this.getProject(id);
    if (before.isDomain) return this.updateDomain(id, changes);
    if (changes.enabled === false && before.enabled) {
      const enabledBelow = (await this.projects.subtree(id)).some((p) => p.enabled);
      if (enabledBelow)
        throw forbidden(`Cannot disable project ${id} since its subtree contains enabled projects.`);
    }
    if (changes.enabled === true && !before.enabled) {
      const disabledAbove = (await this.projects.parents(id)).some((p) => !p.isDomain && !p.enabled);
      if (disabledAbove) throw forbidden(`Cannot enable project ${id} since it has disabled parents`);
    }
    const after = await this.applyUpdate(before, changes, 'project');
    if (before.enabled && !after.enabled) await this.events.projectDisabled(id);
    return after;
  }

  async deleteProject(id: string, cascade = false): Promise<void> {
    const p = await this.getProject(id);
    if (p.isDomain) {
      if (p.enabled)
        throw invalid(
          `cannot delete an enabled project acting as a domain. Please disable the project ${id} first.`,
        );
      return this.deleteDomain(id);
    }
    const subtree = await this.projects.subtree(id);
    if (subtree.length && !cascade) {
      throw forbidden(
        `Cannot delete the project ${id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
      );
    }
    if (cascade && subtree.some((c) => c.enabled))
      throw forbidden(`Cannot delete project ${id} since its subtree contains enabled projects.`);
    for (const c of subtree.reverse()) {
      await this.projects.delete(c.id);
      await this.events.projectDeleted(c.id);
    }
    await this.projects.delete(id);
    await this.events.projectDeleted(id);
  }

  /** Ancestors below the domain, nearest first (`parents_as_list`). */
  async parents(id: string): Promise<ProjectRecord[]> {
    return (await this.projects.parents(id)).filter((p) => !p.isDomain);
  }

  /** Every descendant (`subtree_as_list`). */
  subtree(id: string): Promise<ProjectRecord[]> {
    return this.projects.subtree(id);
  }

  // Tags ----------------------------------------------------------------------------------------

  async setTags(id: string, tags: string[]): Promise<ProjectRecord> {
    const p = await this.getProject(id);
    await this.projects.update(id, { tags: [...new Set(tags)] });
    return { ...p, tags: [...new Set(tags)].sort() };
  }

  async addTag(id: string, tag: string): Promise<void> {
    const p = await this.getProject(id);
    if (p.tags.includes(tag)) return;
    if (p.tags.length >= 80) throw invalid('The number of tags is over the limit of 80.');
    await this.projects.update(id, { tags: [...p.tags, tag] });
  }

  async removeTag(id: string, tag: string): Promise<void> {
    const p = await this.getProject(id);
    if (!p.tags.includes(tag)) throw tagNotFound(tag);
    await this.projects.update(id, { tags: p.tags.filter((t) => t !== tag) });
  }

  // Internals -----------------------------------------------------------------------------------

  /** The root row every domain hangs from; Keystone creates it in its first migration. */
  private async ensureRoot(): Promise<void> {
    if (await this.projects.get(DOMAIN_ROOT)) return;
    try {
      await this.projects.create({
        id: DOMAIN_ROOT,
        name: DOMAIN_ROOT,
        domainId: DOMAIN_ROOT,
        parentId: null,
        isDomain: true,
        enabled: false,
        description: '',
        tags: [],
        extra: {},
      });
    } catch (err) {
      if (!(err instanceof DuplicateEntryError)) throw err;
    }
  }

  private async insert(
    p: Omit<ProjectRecord, 'createdAt'>,
    kind: 'project' | 'domain',
  ): Promise<ProjectRecord> {
    try {
      return await this.projects.create(p);
    } catch (err) {
      if (err instanceof DuplicateEntryError) {
        throw conflict(
          'project',
          kind === 'domain' || p.isDomain
            ? `it is not permitted to have two projects acting as domains with the same name: ${p.name}`
            : `it is not permitted to have two projects with either the same name or same id in the same domain: name is ${p.name}, project id ${p.id}`,
        );
      }
      throw err;
    }
  }

  private async applyUpdate(
    before: ProjectRecord,
    changes: ProjectChanges,
    kind: 'project' | 'domain',
  ): Promise<ProjectRecord> {
    if (changes.domainId !== undefined && changes.domainId !== before.domainId && kind === 'project')
      throw invalid('Cannot change Domain ID');
    if (changes.parentId !== undefined && changes.parentId !== before.parentId)
      throw forbidden('Update of `parent_id` is not allowed.');
    if (changes.isDomain !== undefined && changes.isDomain !== before.isDomain)
      throw invalid('Update of `is_domain` is not allowed.');
    const { name, description, enabled, tags, extra } = changes;
    const set = {
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(tags !== undefined ? { tags } : {}),
      ...(extra !== undefined ? { extra: { ...before.extra, ...extra } } : {}),
    };
    try {
      await this.projects.update(before.id, set);
    } catch (err) {
      if (err instanceof DuplicateEntryError) {
        throw conflict(
          'project',
          kind === 'domain'
            ? `it is not permitted to have two projects acting as domains with the same name: ${name}`
            : `it is not permitted to have two projects with either the same name or same id in the same domain: name is ${name}, project id ${before.id}`,
        );
      }
      throw err;
    }
    return (await this.projects.get(before.id))!;
  }

  /** Projects ordered so that children come before their parents. */
  private async deepestFirst(list: ProjectRecord[]): Promise<ProjectRecord[]> {
    const depth = new Map<string, number>();
    const byId = new Map(list.map((p) => [p.id, p]));
    const depthOf = (p: ProjectRecord): number => {
      const known = depth.get(p.id);
      if (known !== undefined) return known;
      const parent = p.parentId ? byId.get(p.parentId) : undefined;
      const d = parent ? depthOf(parent) + 1 : 0;
      depth.set(p.id, d);
      return d;
    };
    return [...list].sort((a, b) => depthOf(b) - depthOf(a));
  }
}
