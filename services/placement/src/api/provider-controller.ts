import { randomUUID } from 'node:crypto';
import type { ProviderRecord } from '../db/provider-repository';
import { PlacementBadRequest } from '../manager/placement-errors';
import { ResourceClassNotFound } from '../manager/resource-classes';
import { TraitNotFound } from '../manager/traits';
import { canonicalUuid } from './json-validation';
import type { PlacementRequest } from './placement-request';
import {
  providerList,
  providerPost,
  providerPost114,
  providerPut,
  providerPut114,
} from './placement-schemas';
import { parseInTree, parseResources, requestMemberOf, requestTraits } from './query-filters';
import { emptyReply, jsonReply, newest } from './replies';

/** The API form of a provider at a microversion. */
export function providerView(req: PlacementRequest, p: ProviderRecord): Record<string, unknown> {
  const url = `/resource_providers/${p.uuid}`;
  const rels = ['inventories', 'usages'];
  if (req.atLeast('1.1')) rels.push('aggregates');
  if (req.atLeast('1.6')) rels.push('traits');
  if (req.atLeast('1.11')) rels.push('allocations');
  const view: Record<string, unknown> = {
    uuid: p.uuid,
    name: p.name,
    generation: p.generation,
    links: [{ rel: 'self', href: url }, ...rels.map((rel) => ({ rel, href: `${url}/${rel}` }))],
  };
  if (req.atLeast('1.14')) {
    view.parent_provider_uuid = p.parentUuid;
    view.root_provider_uuid = p.rootUuid;
  }
  return view;
}

/** POST /resource_providers: 201 and a location before 1.20, 200 with the provider after. */
export async function createProvider(req: PlacementRequest) {
  req.authorize('placement:resource_providers:create');
  const body = await req.json<{ name: string; uuid?: string; parent_provider_uuid?: string | null }>(
    req.atLeast('1.14') ? providerPost114 : providerPost,
  );
  const uuid = body.uuid ? canonicalUuid(body.uuid) : randomUUID();
  const provider = await req.services.providers.create({
    uuid,
    name: body.name,
    parentUuid: body.parent_provider_uuid ? canonicalUuid(body.parent_provider_uuid) : null,
  });
  const location = `${req.api.baseUrl}/resource_providers/${provider.uuid}`;
  if (!req.atLeast('1.20')) return emptyReply(201, { location });
  return jsonReply(req, providerView(req, provider), {
    lastModified: provider.updatedAt,
    headers: { location },
  });
}

/** GET /resource_providers/{uuid}. */
export async function showProvider(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:show');
  const provider = await req.services.providers.get(req.params.uuid!);
  return jsonReply(req, providerView(req, provider), { lastModified: provider.updatedAt });
}

/** GET /resource_providers, with the filters of the request's microversion. */
export async function listProviders(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:list');
  const schema = req.atLeast('1.18')
    ? providerList['1.18']!
    : req.atLeast('1.14')
      ? providerList['1.14']!
      : req.atLeast('1.4')
        ? providerList['1.4']!
        : req.atLeast('1.3')
          ? providerList['1.3']!
          : providerList['1.0']!;
  req.query.validate(schema);
  const q = req.query;
  const filters: Parameters<typeof req.services.providers.list>[0] = {};
  if (q.has('member_of')) {
    const m = requestMemberOf(req);
    filters.memberOf = m.required;
    filters.forbiddenAggregates = m.forbidden;
  }
  if (q.has('required')) {
    const t = requestTraits(req);
    try {
      const ids = await req.services.traits.idsOf(new Set([...t.required.flat(), ...t.forbidden]));
      filters.requiredTraitIds = t.required.map((any) => any.map((n) => ids.get(n)!));
      filters.forbiddenTraitIds = t.forbidden.map((n) => ids.get(n)!);
    } catch (err) {
      if (err instanceof TraitNotFound)
        throw new PlacementBadRequest(`Invalid trait(s) in "required" parameter: ${err.message}`);
      throw err;
    }
  }
  if (q.has('uuid')) filters.uuid = q.get('uuid');
  if (q.has('name')) filters.name = q.get('name');
  if (q.has('in_tree')) filters.inTree = parseInTree(q.get('in_tree')!);
  if (q.has('resources')) {
    const wanted = parseResources(q.get('resources')!);
    try {
      const ids = await req.services.classes.idsOf(wanted.keys());
      filters.resources = new Map([...wanted].map(([name, amount]) => [ids.get(name)!, amount]));
    } catch (err) {
      if (err instanceof ResourceClassNotFound)
        throw new PlacementBadRequest(`Invalid resource class in resources parameter: ${err.message}`);
      throw err;
    }
  }
  const providers = await req.services.providers.list(filters);
  return jsonReply(
    req,
    { resource_providers: providers.map((p) => providerView(req, p)) },
    { lastModified: newest(providers.map((p) => p.updatedAt)) },
  );
}

/** PUT /resource_providers/{uuid}: rename, (re-/un-)parent (1.37). */
export async function updateProvider(req: PlacementRequest) {
  req.authorize('placement:resource_providers:update');
  const uuid = req.params.uuid!;
  await req.services.providers.get(uuid);
  const body = await req.json<{ name?: string; parent_provider_uuid?: string | null }>(
    req.atLeast('1.14') ? providerPut114 : providerPut,
  );
  const provider = await req.services.providers.update(
    uuid,
    {
      name: body.name,
      ...('parent_provider_uuid' in body
        ? { parentUuid: body.parent_provider_uuid ? canonicalUuid(body.parent_provider_uuid) : null }
        : {}),
    },
    req.atLeast('1.37'),
  );
  return jsonReply(req, providerView(req, provider), { lastModified: provider.updatedAt });
}

/** DELETE /resource_providers/{uuid}: refused while it has children or allocations. */
export async function deleteProvider(req: PlacementRequest) {
  req.authorize('placement:resource_providers:delete');
  await req.services.providers.delete(req.params.uuid!);
  return emptyReply(204);
}
