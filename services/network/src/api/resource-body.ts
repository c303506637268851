import { httpBadRequest } from '../manager/network-errors';
import type { AttributeMap } from './attribute-spec';

/** Who calls, as request-body parsing needs it. */
export interface BodyCaller {
  projectId: string | undefined;
  /** Admin or advsvc: may name another project. */
  privileged: boolean;
}

type Item = Record<string, unknown>;

/**
 * Parses a create body, single (`{"network": {...}}`) or bulk (`{"networks": [...]}`), as
 * Neutron's controller does: project filled from the caller, unknown attributes refused,
 * defaults filled, required attributes checked, values converted and validated.
 */
export function parseCreateBody(
  body: unknown,
  resource: string,
  collection: string,
  attrs: AttributeMap,
  caller: BodyCaller,
): { items: Item[]; bulk: boolean } {
  if (!body || (typeof body === 'object' && Object.keys(body).length === 0))
    throw httpBadRequest('Resource body required');
  if (typeof body !== 'object' || Array.isArray(body)) throw httpBadRequest('Body contains invalid data');
  const b = body as Record<string, unknown>;
  if (collection in b) {
    const list = b[collection];
    if (!Array.isArray(list)) throw httpBadRequest('Body contains invalid data');
    if (list.length === 0) throw httpBadRequest('Resources required');
    const items = list.map((item) => {
      const wrapped = item && typeof item === 'object' && resource in item ? item : { [resource]: item };
      return parseOne(wrapped as Record<string, unknown>, resource, attrs, caller, true);
    });
    return { items, bulk: true };
  }
  return { items: [parseOne(b, resource, attrs, caller, true)], bulk: false };
}

/** Parses an update body (`{"network": {...}}`): read-only attributes refused. */
export function parseUpdateBody(
  body: unknown,
  resource: string,
  attrs: AttributeMap,
  caller: BodyCaller,
): Item {
  if (!body || (typeof body === 'object' && Object.keys(body).length === 0))
    throw httpBadRequest('Resource body required');
  if (typeof body !== 'object' || Array.isArray(body)) throw httpBadRequest('Body contains invalid data');
  return parseOne(body as Record<string, unknown>, resource, attrs, caller, false);
}

function parseOne(
  body: Record<string, unknown>,
  resource: string,
  attrs: AttributeMap,
  caller: BodyCaller,
  create: boolean,
): Item {
  const given = body[resource];
  if (given === undefined || given === null)
    throw httpBadRequest(`Unable to find '${resource}' in request body`);
  if (typeof given !== 'object' || Array.isArray(given))
    throw httpBadRequest(`Object '${resource}' contains invalid data`);
  const item: Item = { ...(given as Item) };
  populateProject(item, caller, create);
  const unknown = Object.keys(item).filter((k) => !(k in attrs));
  if (unknown.length) throw httpBadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  if (create) {
    for (const [name, spec] of Object.entries(attrs)) {
      if (spec.post) {
        if (!(name in item)) {
          if (!('default' in spec))
            throw httpBadRequest(`Failed to parse request. Required attribute '${name}' not specified`);
        }
      } else if (name in item) {
        throw httpBadRequest(`Attribute '${name}' not allowed in POST`);
      }
    }
  } else {
    for (const name of Object.keys(item)) {
      if (!attrs[name]!.put) throw httpBadRequest(`Cannot update read-only attribute ${name}`);
    }
  }
  for (const [name, value] of Object.entries(item)) {
    const spec = attrs[name]!;
    let v = value;
    if (spec.convert) v = spec.convert(v);
    const reason = spec.validate?.(v);
    if (reason) throw httpBadRequest(`Invalid input for ${name}. Reason: ${reason}.`);
    item[name] = v;
  }
  return item;
}

/** Fills the defaults a create did not give (after policy saw only what the caller set). */
export function fillDefaults(item: Item, attrs: AttributeMap): Item {
  const out: Item = { ...item };
  for (const [name, spec] of Object.entries(attrs)) {
    if (spec.post && !(name in out) && 'default' in spec) {
      out[name] =
        typeof spec.default === 'function'
          ? (spec.default as () => unknown)()
          : structuredClone(spec.default);
    }
  }
  return out;
}

function populateProject(item: Item, caller: BodyCaller, create: boolean): void {
  if ('tenant_id' in item && !('project_id' in item)) item.project_id = item.tenant_id;
  else if ('project_id' in item && !('tenant_id' in item)) item.tenant_id = item.project_id;
  if (item.project_id !== item.tenant_id) throw httpBadRequest("'project_id' and 'tenant_id' do not match");
  if ('project_id' in item && item.project_id !== caller.projectId && !caller.privileged) {
    throw httpBadRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
    );
  }
  if (create && !('project_id' in item) && caller.projectId) {
    item.project_id = caller.projectId;
    item.tenant_id = caller.projectId;
  }
}
