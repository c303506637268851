import { PlacementBadRequest } from '../manager/placement-errors';
import { validateJson } from './json-validation';
import type { PlacementRequest } from './placement-request';
import { customTrait, providerTraitsPut, traitList } from './placement-schemas';
import { emptyReply, httpDate, jsonReply, newest } from './replies';

/** PUT /traits/{name} (1.6): creates a CUSTOM_ trait (201) or finds it (204). */
export async function putTrait(req: PlacementRequest) {
  req.authorize('placement:traits:update');
  const name = req.params.name!;
  try {
    validateJson(customTrait, name, '');
  } catch {
    throw new PlacementBadRequest(
      'The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"',
    );
  }
  const { trait, created } = await req.services.traits.ensure(name);
  const headers: Record<string, string> = { location: `${req.api.baseUrl}/traits/${name}` };
  if (req.atLeast('1.15')) {
    headers['last-modified'] = httpDate(trait.createdAt);
    headers['cache-control'] = 'no-cache';
  }
  return emptyReply(created ? 201 : 204, headers);
}

/** GET /traits/{name} (1.6): 204 when it exists. */
export async function showTrait(req: PlacementRequest) {
  req.authorize('placement:traits:show');
  const trait = await req.services.traits.get(req.params.name!);
  const headers: Record<string, string> = {};
  if (req.atLeast('1.15')) {
    headers['last-modified'] = httpDate(trait.createdAt);
    headers['cache-control'] = 'no-cache';
  }
  return emptyReply(204, headers);
}

/** DELETE /traits/{name}: custom traits no provider has. */
export async function deleteTrait(req: PlacementRequest) {
  req.authorize('placement:traits:delete');
  await req.services.traits.delete(req.params.name!);
  return emptyReply(204);
}

/** GET /traits (1.6): `name=in:`/`startswith:` and `associated` filters. */
export async function listTraits(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:traits:list');
  req.query.validate(traitList);
  const filters: { nameIn?: string[]; prefix?: string; associated?: boolean } = {};
  const name = req.query.get('name');
  if (name !== undefined) {
    if (name.startsWith('in:')) filters.nameIn = name.slice(3).split(',');
    else if (name.startsWith('startswith:')) filters.prefix = name.slice('startswith:'.length);
    else {
      throw new PlacementBadRequest(
        `Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${name}"`,
      );
    }
  }
  const associated = req.query.get('associated');
  if (associated !== undefined) {
    if (!['true', 'false'].includes(associated.toLowerCase())) {
      throw new PlacementBadRequest('The query parameter "associated" only accepts "true" or "false"');
    }
    filters.associated = associated.toLowerCase() === 'true';
  }
  const traits = await req.services.traits.list(filters);
  return jsonReply(
    req,
    { traits: traits.map((t) => t.name) },
    { lastModified: newest(traits.map((t) => t.updatedAt)) },
  );
}

/** GET /resource_providers/{uuid}/traits. */
export async function listProviderTraits(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:traits:list');
  const p = await req.services.providers.get(req.params.uuid!);
  const traits = await req.services.links.traitsOf(p.id);
  return jsonReply(req, { traits, resource_provider_generation: p.generation });
}

/** PUT /resource_providers/{uuid}/traits: generation-checked replacement. */
export async function setProviderTraits(req: PlacementRequest) {
  req.authorize('placement:resource_providers:traits:update');
  const uuid = req.params.uuid!;
  const body = await req.json<{ traits: string[]; resource_provider_generation: number }>(providerTraitsPut);
  await req.services.providers.get(uuid);
  const p = await req.services.links.setTraits(uuid, body.resource_provider_generation, body.traits);
  return jsonReply(req, { traits: [...new Set(body.traits)], resource_provider_generation: p.generation });
}

/** DELETE /resource_providers/{uuid}/traits. */
export async function deleteProviderTraits(req: PlacementRequest) {
  req.authorize('placement:resource_providers:traits:delete');
  const uuid = req.params.uuid!;
  await req.services.providers.get(uuid);
  await req.services.links.setTraits(uuid, undefined, []);
  return emptyReply(204);
}
