import { type ApiRequest, type Route, respond, route } from '@nimbus/http';
import type { Resource } from '../db/resource-store';
import {
  badRequest,
  httpBadRequest,
  NeutronError,
  revisionConstraintFailed,
} from '../manager/network-errors';
import { type CallContext, policyNotAuthorized } from './call-context';
import { parseFields, parseListQuery } from './list-query';
import type { NetworkServices } from './network-services';
import { contextOf, targetOf, visible } from './resource-access';
import { fillDefaults, parseCreateBody, parseUpdateBody } from './resource-body';
import type { ResourceDefinition, ResourceHandlers } from './resource-definition';
import { resourceView } from './resource-view';
import { tagRoutes } from './tag-controller';

type Req = ApiRequest<unknown, NetworkServices>;

const handlersOf = (req: Req, def: ResourceDefinition): ResourceHandlers => {
  const h = req.services.resources[def.resource];
  if (!h)
    throw new NeutronError(
      'not_implemented',
      'NotImplementedError',
      `${def.collection} are not implemented.`,
    );
  return h;
};

/** Attribute policies (`create_port:fixed_ips`, `create_port:fixed_ips:ip_address`) of the set attributes. */
function attributeActions(
  def: ResourceDefinition,
  action: string,
  item: Resource,
  known: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(item)) {
    const spec = def.attributes[name];
    if (!spec?.enforcePolicy) continue;
    if (
      'default' in spec &&
      typeof spec.default !== 'function' &&
      JSON.stringify(spec.default) === JSON.stringify(value)
    )
      continue;
    const rule = `${action}_${def.resource}:${name}`;
    if (known.has(rule)) out.push(rule);
    if (Array.isArray(value)) {
      const keys = new Set(value.flatMap((v) => (v && typeof v === 'object' ? Object.keys(v) : [])));
      for (const k of keys) if (known.has(`${rule}:${k}`)) out.push(`${rule}:${k}`);
    } else if (value && typeof value === 'object') {
      for (const k of Object.keys(value)) if (known.has(`${rule}:${k}`)) out.push(`${rule}:${k}`);
    }
  }
  return out;
}

function authorize(ctx: CallContext, actions: string[], target: Record<string, unknown>): boolean {
  return actions.every((a) => ctx.allowed(a, target));
}

/** `If-Match: revision_number=N`: the constraint, or undefined. */
function revisionConstraint(req: Req): number | undefined {
  const header = req.headers['if-match'];
  if (!header) return undefined;
  const tags = String(header)
    .split(',')
    .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .filter((t) => t.startsWith('revision_number='));
  if (tags.length > 1) throw badRequest('if-match', 'Multiple revision_number etags are not supported.');
  if (!tags.length) return undefined;
  const value = tags[0]!.slice('revision_number='.length);
  if (!/^-?\d+$/.test(value))
    throw badRequest('if-match', 'Revision number etag must be in the format of revision_number=<int>');
  return Number(value);
}

async function list(req: Req, def: ResourceDefinition) {
  const ctx = contextOf(req);
  const handlers = handlersOf(req, def);
  const o = req.services.options;
  const query = parseListQuery(req.query, def.attributes, {
    filterValidation: o.filterValidation,
    maxLimit: o.maxLimit,
  });
  const items = await handlers.list(ctx, query);
  const fields = parseFields(req.query);
  const shown: Record<string, unknown>[] = [];
  for (const item of items) {
    const target = await targetOf(ctx, handlers, item);
    if (!ctx.allowed(`get_${def.resource}`, target)) continue;
    shown.push(resourceView(req.services, ctx, def, item, target, fields));
  }
  const body: Record<string, unknown> = { [def.collection]: shown };
  if (query.limit) body[`${def.collection}_links`] = pageLinks(req, items, query.limit, query.pageReverse);
  return body;
}

/** Neutron's `next`/`previous` links: the same query with the marker moved. */
function pageLinks(req: Req, items: Resource[], limit: number, pageReverse: boolean) {
  const url = new URL(req.url, req.baseUrl);
  const base = `${url.origin}${url.pathname}`;
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'marker');
  const href = (marker: unknown, reverse: boolean) => {
    const p = new URLSearchParams(params.filter(([k]) => k !== 'page_reverse'));
    if (marker !== undefined) p.append('marker', String(marker));
    if (reverse) p.append('page_reverse', 'True');
    return `${base}?${p.toString()}`;
  };
  const links: { rel: string; href: string }[] = [];
  if (!(items.length < limit && !pageReverse))
    links.push({ rel: 'next', href: href(items.at(-1)?.id, false) });
  if (!(items.length < limit && pageReverse)) links.push({ rel: 'previous', href: href(items[0]?.id, true) });
  return links;
}

async function show(req: Req, def: ResourceDefinition) {
  const ctx = contextOf(req);
  const handlers = handlersOf(req, def);
  const item = await visible(ctx, def, handlers, req.params.id!);
  return {
    [def.resource]: resourceView(
      req.services,
      ctx,
      def,
      item,
      await targetOf(ctx, handlers, item),
      parseFields(req.query),
    ),
  };
}

async function create(req: Req, def: ResourceDefinition) {
  const ctx = contextOf(req);
  const handlers = handlersOf(req, def);
  const { items, bulk } = parseCreateBody(req.body, def.resource, def.collection, def.attributes, {
    projectId: ctx.projectId,
    privileged: ctx.isAdmin || ctx.isAdvsvc,
  });
  if (bulk && def.bulk === false) throw httpBadRequest('Bulk operation not supported');
  for (const item of items) {
    const target = await targetOf(ctx, handlers, item);
    const actions = [
      `create_${def.resource}`,
      ...attributeActions(def, 'create', item, req.services.policyNames),
    ];
    if (!authorize(ctx, actions, target)) throw policyNotAuthorized(actions);
  }
  const perProject = new Map<string, number>();
  for (const item of items)
    perProject.set(String(item.project_id ?? ''), (perProject.get(String(item.project_id ?? '')) ?? 0) + 1);
  for (const [project, count] of perProject) await req.services.quotas.check(project, def.resource, count);
  const created: Resource[] = [];
  try {
    for (const item of items) created.push(await handlers.create(ctx, fillDefaults(item, def.attributes)));
  } catch (err) {
    // A bulk create is all or nothing, as Neutron's native bulk.
    for (const c of created.reverse()) await handlers.delete(ctx, c).catch(() => {});
    throw err;
  }
  const views = [];
  for (const c of created)
    views.push(resourceView(req.services, ctx, def, c, await targetOf(ctx, handlers, c), []));
  return respond(201, bulk ? { [def.collection]: views } : { [def.resource]: views[0] });
}

async function update(req: Req, def: ResourceDefinition) {
  const ctx = contextOf(req);
  const handlers = handlersOf(req, def);
  const changes = parseUpdateBody(req.body, def.resource, def.attributes, {
    projectId: ctx.projectId,
    privileged: ctx.isAdmin || ctx.isAdvsvc,
  });
  const current = await visible(ctx, def, handlers, req.params.id!);
  const target = await targetOf(ctx, handlers, { ...current, ...changes });
  const actions = [
    `update_${def.resource}`,
    ...attributeActions(def, 'update', changes, req.services.policyNames),
  ];
  if (!authorize(ctx, actions, target)) throw policyNotAuthorized(actions);
  const expected = revisionConstraint(req);
  if (expected !== undefined && expected !== current.revision_number)
    throw revisionConstraintFailed(expected, current.revision_number as number);
  const updated = await handlers.update(ctx, current, changes);
  return {
    [def.resource]: resourceView(req.services, ctx, def, updated, await targetOf(ctx, handlers, updated), []),
  };
}

async function remove(req: Req, def: ResourceDefinition) {
  const ctx = contextOf(req);
  const handlers = handlersOf(req, def);
  const current = await visible(ctx, def, handlers, req.params.id!);
  const action = `delete_${def.resource}`;
  if (!ctx.allowed(action, await targetOf(ctx, handlers, current))) throw policyNotAuthorized([action]);
  const expected = revisionConstraint(req);
  if (expected !== undefined && expected !== current.revision_number)
    throw revisionConstraintFailed(expected, current.revision_number as number);
  await handlers.delete(ctx, current);
  return undefined;
}

/** The routes of one resource: its collection, its items and its tags. */
export function resourceRoutes(def: ResourceDefinition): Route[] {
  const base = `/v2.0${def.path}`;
  return [
    route('GET', base, (req: Req) => list(req, def)),
    route('POST', base, (req: Req) => create(req, def)),
    route('GET', `${base}/:id`, (req: Req) => show(req, def)),
    route('PUT', `${base}/:id`, (req: Req) => update(req, def)),
    route('DELETE', `${base}/:id`, (req: Req) => remove(req, def), { status: 204 }),
    ...tagRoutes(def, base, (req: Req) => handlersOf(req, def)),
  ];
}
