import type { ProjectRecord } from '../../db/repositories/project-repository';
import { type IdentityRequest, v3Url } from '../keystone-api';

/** Keystone's project body, extra attributes at the top as it stores them. */
export function projectView(req: IdentityRequest, p: ProjectRecord): Record<string, unknown> {
  return {
    ...p.extra,
    id: p.id,
    name: p.name,
    domain_id: p.isDomain ? null : p.domainId,
    description: p.description,
    enabled: p.enabled,
    parent_id: p.isDomain ? null : p.parentId,
    is_domain: p.isDomain,
    tags: p.tags,
    options: (p.extra.options as Record<string, unknown> | undefined) ?? {},
    links: { self: v3Url(req, `/projects/${p.id}`) },
  };
}

/** Keystone's domain body. */
export function domainView(req: IdentityRequest, d: ProjectRecord): Record<string, unknown> {
  return {
    ...d.extra,
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled,
    tags: d.tags,
    options: (d.extra.options as Record<string, unknown> | undefined) ?? {},
    links: { self: v3Url(req, `/domains/${d.id}`) },
  };
}

/** `parents_as_ids` / `subtree_as_ids`: nested `{id: {child_id: null}}` maps. */
export function idTree(
  rootId: string,
  all: ProjectRecord[],
  direction: 'down' | 'up',
): Record<string, unknown> | null {
  if (direction === 'up') {
    // `all` is nearest-first: {parent: {grandparent: null}}
    let tree: Record<string, unknown> | null = null;
    for (const p of [...all].reverse()) tree = { [p.id]: tree };
    return tree;
  }
  const children = all.filter((p) => p.parentId === rootId);
  if (!children.length) return null;
  return Object.fromEntries(children.map((c) => [c.id, idTree(c.id, all, 'down')]));
}
