import type { NamespaceRecord } from '../../db/repositories/metadef-repository';
import { namespaceNotFound } from '../../manager/metadef-manager';
import type { ImageRequest } from '../image-request';

/**
 * Glance's target of a metadef rule: the namespace's owner as `project_id` and its visibility, or,
 * before there is a namespace (a create, a list), the caller's own project.
 */
export function metadefTarget(req: ImageRequest, ns?: NamespaceRecord): Record<string, unknown> {
  return ns
    ? { project_id: ns.owner, visibility: ns.visibility }
    : { project_id: req.credentials.projectId ?? null };
}

/**
 * Checks a metadef rule as Glance's metadef API does. A denial about a namespace the caller may not
 * read either answers 404, so a hidden namespace stays hidden; one about a namespace the caller can
 * read answers 403; one with no namespace answers 403.
 */
export function authorizeMetadef(req: ImageRequest, rule: string, ns?: NamespaceRecord): void {
  const target = metadefTarget(req, ns);
  if (req.allowed(rule, target)) return;
  if (ns && (rule === 'get_metadef_namespace' || !req.allowed('get_metadef_namespace', target)))
    throw namespaceNotFound(ns.namespace);
  req.authorize(rule, target);
}

/** Whether the caller may read the namespace (Glance filters lists with it). */
export function mayReadNamespace(req: ImageRequest, ns: NamespaceRecord): boolean {
  return req.allowed('get_metadef_namespace', metadefTarget(req, ns));
}
