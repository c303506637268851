import type { RequestGroup, RequestWide } from '../manager/candidates/candidate-request';
import { PlacementBadRequest } from '../manager/placement-errors';
import { ResourceClassNotFound } from '../manager/resource-classes';
import { TraitNotFound } from '../manager/traits';
import { candidateSchema, parseGroups, parseWide } from './candidate-query';
import { renderCandidates } from './candidate-view';
import type { PlacementRequest } from './placement-request';
import { jsonBytesReply } from './replies';

/** GET /allocation_candidates (1.10). */
export async function listAllocationCandidates(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:allocation_candidates:list');
  req.query.validate(candidateSchema(req));
  const namedWide = parseWide(req);
  const named = parseGroups(req, namedWide);
  const granular = [...named.values()].filter((g) => g.suffix !== '').length;
  if (!namedWide.groupPolicy && granular > 1) {
    throw new PlacementBadRequest(
      'The "group_policy" parameter is required when specifying more than one "resources{N}" parameter.',
    );
  }
  const { classes, traits } = req.services;
  const groups: RequestGroup[] = [];
  try {
    for (const g of named.values()) {
      const rcIds = await classes.idsOf(g.resources.keys());
      const traitIds = await traits.idsOf(new Set([...g.required.flat(), ...g.forbidden]));
      groups.push({
        suffix: g.suffix,
        useSameProvider: g.suffix !== '',
        resources: new Map([...g.resources].map(([name, amount]) => [rcIds.get(name)!, amount])),
        required: g.required.map((anyOf) => anyOf.map((t) => traitIds.get(t)!)),
        forbidden: g.forbidden.map((t) => traitIds.get(t)!),
        memberOf: g.memberOf,
        forbiddenAggregates: g.forbiddenAggregates,
        ...(g.inTree ? { inTree: g.inTree } : {}),
      });
    }
  } catch (err) {
    if (err instanceof ResourceClassNotFound)
      throw new PlacementBadRequest(`Invalid resource class in resources parameter: ${err.message}`);
    if (err instanceof TraitNotFound) throw new PlacementBadRequest(err.message);
    throw err;
  }
  let rootIds: Map<string, number> | undefined;
  if (namedWide.rootRequired || namedWide.rootForbidden) {
    try {
      rootIds = await traits.idsOf([...(namedWide.rootRequired ?? []), ...(namedWide.rootForbidden ?? [])]);
    } catch (err) {
      if (err instanceof TraitNotFound) throw new PlacementBadRequest(err.message);
      throw err;
    }
  }
  const wide: RequestWide = {
    limit: namedWide.limit ?? req.services.candidateOptions.maxResults,
    ...(namedWide.groupPolicy ? { groupPolicy: namedWide.groupPolicy } : {}),
    ...(rootIds
      ? {
          rootRequired: (namedWide.rootRequired ?? []).map((t) => rootIds!.get(t)!),
          rootForbidden: (namedWide.rootForbidden ?? []).map((t) => rootIds!.get(t)!),
        }
      : {}),
    sameSubtrees: namedWide.sameSubtrees,
    nestedAware: req.atLeast('1.29'),
    randomize: req.services.candidateOptions.randomize,
  };
  const sharingTrait = (await traits.idsOf(['MISC_SHARES_VIA_AGGREGATE']).catch(() => undefined))?.get(
    'MISC_SHARES_VIA_AGGREGATE',
  );
  const result = await req.services.candidates.find(groups, wide, sharingTrait);
  // Names of traits created since the map was loaded are read once, then served from it.
  if (result.summaries.some((p) => [...p.traitIds].some((id) => traits.cachedName(id) === undefined))) {
    await traits.namesOf(new Set(result.summaries.flatMap((p) => [...p.traitIds])));
  }
  const body = renderCandidates(result.snapshot, result.requests, result.summaries, {
    dict: req.atLeast('1.12'),
    mappings: req.atLeast('1.34'),
    traits: req.atLeast('1.17'),
    allClasses: req.atLeast('1.27'),
    tree: req.atLeast('1.29'),
    requestedClasses: new Set(groups.flatMap((g) => [...g.resources.keys()])),
    className: (id) => classes.cachedName(id) ?? String(id),
    traitName: (id) => traits.cachedName(id),
  });
  return jsonBytesReply(req, body);
}
