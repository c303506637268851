import { PlacementBadRequest, placementCodes } from '../manager/placement-errors';
import type { Schema } from './json-validation';
import type { PlacementRequest } from './placement-request';
import {
  parseInTree,
  parseResources,
  parseTraitValue,
  requestMemberOf,
  requestTraits,
} from './query-filters';

/** A request group as named in the query, before names become ids. */
export interface NamedGroup {
  suffix: string;
  resources: Map<string, number>;
  required: string[][];
  forbidden: string[];
  memberOf: string[][];
  forbiddenAggregates: string[];
  inTree?: string;
}

/** The request-wide parameters as named in the query. */
export interface NamedWide {
  limit?: number;
  groupPolicy?: 'none' | 'isolate';
  rootRequired?: string[];
  rootForbidden?: string[];
  sameSubtrees: string[][];
}

const GROUP = '[1-9][0-9]*';
const GROUP_133 = '[a-zA-Z0-9_-]{1,64}';

const schemas = new Map<string, Schema>();

/** GET /allocation_candidates's query schema at a microversion (upstream's, restated); built once per version. */
export function candidateSchema(req: PlacementRequest): Schema {
  const key = req.version.toString();
  let schema = schemas.get(key);
  if (!schema) {
    schema = buildSchema(req);
    schemas.set(key, schema);
  }
  return schema;
}

function buildSchema(req: PlacementRequest): Schema {
  const props: Record<string, unknown> = { resources: { type: 'string' } };
  if (req.atLeast('1.16'))
    props.limit = { type: ['integer', 'string'], pattern: '^[1-9][0-9]*$', minimum: 1, minLength: 1 };
  if (req.atLeast('1.17')) props.required = { type: ['string'] };
  if (req.atLeast('1.21')) props.member_of = { type: ['string'] };
  if (!req.atLeast('1.25'))
    return { type: 'object', properties: props, required: ['resources'], additionalProperties: false };
  delete props.resources;
  delete props.required;
  delete props.member_of;
  props.group_policy = { type: 'string', enum: ['none', 'isolate'] };
  if (req.atLeast('1.35')) props.root_required = { type: ['string'] };
  if (req.atLeast('1.36')) props.same_subtree = { type: ['string'] };
  const pat = req.atLeast('1.33') ? GROUP_133 : GROUP;
  const kinds = req.atLeast('1.31')
    ? ['resources', 'required', 'member_of', 'in_tree']
    : ['resources', 'required', 'member_of'];
  const patternProperties = Object.fromEntries(kinds.map((k) => [`^${k}(${pat})?$`, { type: 'string' }]));
  return { type: 'object', properties: props, patternProperties, additionalProperties: false };
}

/** Parses the request-wide parameters (limit, group_policy, root_required, same_subtree). */
export function parseWide(req: PlacementRequest): NamedWide {
  const q = req.query;
  const wide: NamedWide = { sameSubtrees: [] };
  const limit = q.getAll('limit')[0];
  if (limit !== undefined) wide.limit = Number.parseInt(limit, 10);
  const policy = q.getAll('group_policy')[0];
  if (policy !== undefined) wide.groupPolicy = policy as 'none' | 'isolate';
  const root = q.getAll('root_required');
  if (root.length) {
    if (root.length > 1)
      throw new PlacementBadRequest(
        "Query parameter 'root_required' may be specified only once.",
        placementCodes.duplicateQueryKey,
      );
    const terms = parseTraitValue(root[0]!, true, false);
    const required = terms.required.flat();
    const conflicts = terms.forbidden.filter((t) => required.includes(t));
    if (conflicts.length) {
      throw new PlacementBadRequest(
        `Conflicting required and forbidden traits found in root_required: ${conflicts.join(', ')}`,
        placementCodes.queryBadValue,
      );
    }
    wide.rootRequired = required;
    wide.rootForbidden = terms.forbidden;
  }
  for (const value of q.getAll('same_subtree')) {
    const suffixes = [...new Set(value.split(',').map((s) => s.trim()))];
    if (suffixes.includes('')) {
      throw new PlacementBadRequest(
        'Empty string (unsuffixed group) can not be specified in `same_subtree` ',
        placementCodes.queryBadValue,
      );
    }
    wide.sameSubtrees.push(suffixes);
  }
  return wide;
}

/** Parses the request groups, with upstream's checks on orphans, resourceless groups and conflicts. */
export function parseGroups(req: PlacementRequest, wide: NamedWide): Map<string, NamedGroup> {
  const pattern = new RegExp(
    `^(resources|required|member_of|in_tree)(${req.atLeast('1.33') ? GROUP_133 : GROUP})?$`,
  );
  const groups = new Map<string, NamedGroup>();
  for (const key of req.query.keys()) {
    const m = pattern.exec(key);
    if (!m) continue;
    const [, kind, suffix = ''] = m;
    let g = groups.get(suffix);
    if (!g) {
      g = {
        suffix,
        resources: new Map(),
        required: [],
        forbidden: [],
        memberOf: [],
        forbiddenAggregates: [],
      };
      groups.set(suffix, g);
    }
    const value = req.query.get(key)!;
    if (kind === 'resources') g.resources = parseResources(value);
    else if (kind === 'required') Object.assign(g, requestTraits(req, suffix));
    else if (kind === 'member_of') {
      const a = requestMemberOf(req, suffix);
      g.memberOf = a.required;
      g.forbiddenAggregates = a.forbidden;
    } else g.inTree = parseInTree(value);
  }
  if (req.atLeast('1.36')) {
    const resourceless = [...groups.values()].filter((g) => !g.resources.size).map((g) => g.suffix);
    const inSubtrees = new Set(wide.sameSubtrees.flat());
    if (resourceless.length === groups.size) {
      throw new PlacementBadRequest(
        'There must be at least one resources or resources[$S] parameter.',
        placementCodes.queryMissingValue,
      );
    }
    const bad = resourceless.filter((s) => !inSubtrees.has(s));
    if (bad.length) {
      throw new PlacementBadRequest(
        `Resourceless suffixed group request should be specified in \`same_subtree\` query param: bad group(s) - [${bad.map((s) => `'${s}'`).join(', ')}].`,
        placementCodes.queryBadValue,
      );
    }
    const unknown = [...inSubtrees].filter((s) => !groups.has(s));
    if (unknown.length) {
      throw new PlacementBadRequest(
        `Real suffixes should be specified in \`same_subtree\`: [${unknown.map((s) => `'${s}'`).join(', ')}] not found in [${[...groups.keys()].map((s) => `'${s}'`).join(', ')}].`,
        placementCodes.queryBadValue,
      );
    }
  } else {
    checkOrphans(groups);
  }
  if (req.atLeast('1.22')) {
    const conflicts: string[] = [];
    for (const g of groups.values()) {
      for (const anyOf of g.required) {
        if (anyOf.every((t) => g.forbidden.includes(t)))
          conflicts.push(`required${g.suffix}: (${[...anyOf].sort().join(', ')})`);
      }
    }
    if (conflicts.length) {
      throw new PlacementBadRequest(
        `Conflicting required and forbidden traits found in the following traits keys: ${conflicts.sort().join(', ')}`,
      );
    }
  }
  return groups;
}

function checkOrphans(groups: Map<string, NamedGroup>): void {
  const traitOrphans = [...groups.values()]
    .filter((g) => g.required.length && !g.resources.size)
    .map((g) => `required${g.suffix}`);
  if (traitOrphans.length) {
    throw new PlacementBadRequest(
      `All traits parameters must be associated with resources.  Found the following orphaned traits keys: ${traitOrphans.join(', ')}`,
    );
  }
  const aggOrphans = [...groups.values()]
    .filter((g) => !g.resources.size && (g.memberOf.length || g.forbiddenAggregates.length))
    .map((g) => `member_of${g.suffix}`);
  if (aggOrphans.length) {
    throw new PlacementBadRequest(
      `All member_of parameters must be associated with resources. Found the following orphaned member_of keys: ${aggOrphans.join(', ')}`,
    );
  }
  if (![...groups.values()].every((g) => g.resources.size))
    throw new PlacementBadRequest('All request groups must specify resources.');
  if (!groups.size)
    throw new PlacementBadRequest('At least one request group (`resources` or `resources{$S}`) is required.');
}
