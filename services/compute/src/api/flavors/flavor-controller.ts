import { randomUUID } from 'node:crypto';
import { BadRequestError, NotFoundError } from '@nimbus/errors';
import { type ApiRequest, respond } from '@nimbus/http';
import type { Flavor } from '../../db/flavor-repository';
import { AlreadyExists, FlavorNotFound, InvalidInput } from '../../manager/compute-errors';
import type { ComputeRequest } from '../compute-request';
import { nextLink, resourceLinks } from '../compute-view-helpers';

function flavorView(req: ApiRequest, f: Flavor, extraSpecs: boolean): Record<string, unknown> {
  const mv = req.microversion;
  return {
    id: f.id,
    name: f.name,
    ram: f.ramMb,
    disk: f.diskGb,
    vcpus: f.vcpus,
    links: resourceLinks(req, 'flavors', f.id),
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeralGb,
    'OS-FLV-DISABLED:disabled': f.disabled,
    swap: f.swapMb === 0 && !mv.atLeast('2.75') ? '' : f.swapMb,
    rxtx_factor: f.rxtxFactor,
    'os-flavor-access:is_public': f.isPublic,
    ...(mv.atLeast('2.55') ? { description: f.description } : {}),
    ...(mv.atLeast('2.61') && extraSpecs ? { extra_specs: f.extraSpecs } : {}),
  };
}

/** A boolean as Nova's schema takes it: JSON booleans or their usual spellings as strings. */
function parseBool(field: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.toLowerCase();
    if (['true', 't', '1', 'yes', 'y', 'on'].includes(t)) return true;
    if (['false', 'f', '0', 'no', 'n', 'off'].includes(t)) return false;
  }
  throw new InvalidInput(
    `Invalid input for field/attribute ${field}. Value: ${String(v)}. ${JSON.stringify(v)} is not of type 'boolean', 'string'`,
  );
}

async function visibleFlavor(req: ComputeRequest<unknown>, id: string): Promise<Flavor> {
  const f = await req.services.flavors.get(id);
  if (!f) throw new FlavorNotFound(id);
  if (!f.isPublic && !req.allowed('context_is_admin', {})) {
    const projects = await req.services.flavors.projects(f.id);
    if (!projects.includes(req.credentials.projectId ?? '')) throw new FlavorNotFound(id);
  }
  return f;
}

const SORT: Record<string, (f: Flavor) => string | number> = {
  flavorid: (f) => f.id,
  id: (f) => f.id,
  name: (f) => f.name,
  memory_mb: (f) => f.ramMb,
  ram: (f) => f.ramMb,
  vcpus: (f) => f.vcpus,
  root_gb: (f) => f.diskGb,
  disk: (f) => f.diskGb,
  ephemeral_gb: (f) => f.ephemeralGb,
  swap: (f) => f.swapMb,
  rxtx_factor: (f) => f.rxtxFactor,
  created_at: (f) => f.createdAt,
  description: (f) => f.description ?? '',
};

async function listFlavors(req: ComputeRequest<unknown>, detail: boolean) {
  const q = req.query as Record<string, string>;
  const admin = req.allowed('context_is_admin', {});
  let isPublic: boolean | undefined = true;
  if (q.is_public !== undefined) {
    const v = q.is_public.toLowerCase();
    if (['none', 'all'].includes(v)) isPublic = admin ? undefined : true;
    else if (['true', 't', '1', 'yes', 'y', 'on'].includes(v)) isPublic = true;
    else if (['false', 'f', '0', 'no', 'n', 'off'].includes(v)) isPublic = admin ? false : true;
    else throw new BadRequestError(`Invalid is_public filter [${q.is_public}]`);
  }
  const num = (k: string) => {
    if (q[k] === undefined) return undefined;
    if (!/^[0-9]+$/.test(q[k]!)) throw new BadRequestError(`Invalid ${k} filter [${q[k]}]`);
    return Number(q[k]);
  };
  const minRam = num('minRam');
  const minDisk = num('minDisk');
  const access = admin
    ? new Set<string>()
    : await req.services.flavors.accessibleTo(req.credentials.projectId ?? '');
  let flavors = (await req.services.flavors.all()).filter((f) => {
    if (isPublic === true && !f.isPublic && !access.has(f.id)) return false;
    if (isPublic === false && f.isPublic) return false;
    if (minRam !== undefined && f.ramMb < minRam) return false;
    if (minDisk !== undefined && f.diskGb < minDisk) return false;
    return true;
  });
  const key = q.sort_key ?? 'flavorid';
  const getter = SORT[key];
  if (!getter) throw new BadRequestError(`Invalid input for query parameters sort_key. Value: ${key}.`);
  const dir = (q.sort_dir ?? 'asc').toLowerCase();
  if (dir !== 'asc' && dir !== 'desc')
    throw new BadRequestError(`Invalid input for query parameters sort_dir. Value: ${dir}.`);
  flavors.sort((a, b) => {
    const x = getter(a);
    const y = getter(b);
    const c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return dir === 'asc' ? c : -c;
  });
  if (q.marker !== undefined) {
    const at = flavors.findIndex((f) => f.id === q.marker);
    if (at < 0) throw new BadRequestError(`marker [${q.marker}] not found`);
    flavors = flavors.slice(at + 1);
  }
  const maxLimit = req.services.options.maxLimit;
  if (q.limit !== undefined && !/^[0-9]+$/.test(q.limit))
    throw new BadRequestError(`Invalid input for query parameters limit. Value: ${q.limit}.`);
  const limit = Math.min(q.limit !== undefined ? Number(q.limit) : maxLimit, maxLimit);
  const page = flavors.slice(0, limit);
  const extraSpecs = req.allowed('os_compute_api:os-flavor-extra-specs:index', {
    project_id: req.credentials.projectId,
  });
  const body: Record<string, unknown> = {
    flavors: page.map((f) =>
      detail
        ? flavorView(req, f, extraSpecs)
        : {
            id: f.id,
            name: f.name,
            links: resourceLinks(req, 'flavors', f.id),
            ...(req.microversion.atLeast('2.55') ? { description: f.description } : {}),
          },
    ),
  };
  if (page.length > 0 && page.length >= limit && flavors.length > limit)
    body.flavors_links = nextLink(
      req,
      detail ? 'flavors/detail' : 'flavors',
      page[page.length - 1]!.id,
      limit,
    );
  return body;
}

/** `GET /flavors`. */
export const indexFlavors = (req: ComputeRequest<unknown>) => listFlavors(req, false);
/** `GET /flavors/detail`. */
export const detailFlavors = (req: ComputeRequest<unknown>) => listFlavors(req, true);

/** `GET /flavors/{id}`. */
export async function showFlavor(req: ComputeRequest<unknown>) {
  const f = await visibleFlavor(req, req.params.flavor_id!);
  return {
    flavor: flavorView(
      req,
      f,
      req.allowed('os_compute_api:os-flavor-extra-specs:index', { project_id: req.credentials.projectId }),
    ),
  };
}

/** `POST /flavors`. */
export async function createFlavor(req: ComputeRequest<{ flavor: Record<string, any> }>) {
  req.authorize('os_compute_api:os-flavor-manage:create', {});
  const b = req.body.flavor;
  if (b.description !== undefined && !req.microversion.atLeast('2.55'))
    throw new InvalidInput("Additional properties are not allowed ('description' was unexpected)");
  const int = (k: string, v: unknown, min: number, d?: number): number => {
    if (v === undefined || v === null || v === '') {
      if (d !== undefined) return d;
      throw new InvalidInput(`'${k}' is a required property`);
    }
    const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw new InvalidInput(
        `Invalid input for field/attribute ${k}. Value: ${v}. '${v}' is not of type 'integer', 'string'`,
      );
    if (n < min)
      throw new InvalidInput(
        `Invalid input for field/attribute ${k}. Value: ${v}. ${v} is less than the minimum of ${min}`,
      );
    if (n > 2147483647)
      throw new InvalidInput(
        `Invalid input for field/attribute ${k}. Value: ${v}. ${v} is greater than the maximum of 2147483647`,
      );
    return n;
  };
  const rx = b.rxtx_factor === undefined ? 1 : Number(b.rxtx_factor);
  if (!Number.isFinite(rx) || rx <= 0)
    throw new InvalidInput(`Invalid input for field/attribute rxtx_factor. Value: ${b.rxtx_factor}.`);
  const id = b.id === undefined || b.id === null ? randomUUID() : String(b.id).trim();
  if (!/^(?! )[a-zA-Z0-9. _-]+(?<! )$/.test(id) || id.length > 255)
    throw new InvalidInput(`Invalid input for field/attribute id. Value: ${b.id}.`);
  const flavor = {
    id,
    name: String(b.name ?? '').trim(),
    vcpus: int('vcpus', b.vcpus, 1),
    ramMb: int('ram', b.ram, 1),
    diskGb: int('disk', b.disk, 0),
    ephemeralGb: int('OS-FLV-EXT-DATA:ephemeral', b['OS-FLV-EXT-DATA:ephemeral'], 0, 0),
    swapMb: int('swap', b.swap, 0, 0),
    rxtxFactor: rx,
    isPublic: parseBool('os-flavor-access:is_public', b['os-flavor-access:is_public'], true),
    disabled: false,
    description: b.description ?? null,
    extraSpecs: {},
  };
  if (!flavor.name || flavor.name.length > 255)
    throw new InvalidInput(`Invalid input for field/attribute name. Value: ${b.name}.`);
  if (await req.services.flavors.byName(flavor.name))
    throw new AlreadyExists(`Flavor with name ${flavor.name} already exists.`);
  if (await req.services.flavors.get(flavor.id))
    throw new AlreadyExists(`Flavor with ID ${flavor.id} already exists.`);
  const f = await req.services.flavors.create(flavor);
  return { flavor: flavorView(req, f, true) };
}

/** `PUT /flavors/{id}` (2.55: the description). */
export async function updateFlavor(req: ComputeRequest<{ flavor: { description: string | null } }>) {
  req.authorize('os_compute_api:os-flavor-manage:update', {});
  const f = await req.services.flavors.get(req.params.flavor_id!);
  if (!f) throw new FlavorNotFound(req.params.flavor_id!);
  await req.services.flavors.update(f.id, { description: req.body.flavor.description });
  return { flavor: flavorView(req, (await req.services.flavors.get(f.id))!, true) };
}

/** `DELETE /flavors/{id}`. */
export async function deleteFlavor(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-flavor-manage:delete', {});
  if (!(await req.services.flavors.delete(req.params.flavor_id!)))
    throw new FlavorNotFound(req.params.flavor_id!);
  return respond(202);
}

/** `GET /flavors/{id}/os-extra_specs`. */
export async function listExtraSpecs(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-flavor-extra-specs:index', { project_id: req.credentials.projectId });
  const f = await visibleFlavor(req, req.params.flavor_id!);
  return { extra_specs: f.extraSpecs };
}

/** `GET /flavors/{id}/os-extra_specs/{key}`. */
export async function showExtraSpec(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-flavor-extra-specs:show', { project_id: req.credentials.projectId });
  const f = await visibleFlavor(req, req.params.flavor_id!);
  const key = req.params.key!;
  if (!(key in f.extraSpecs)) throw new NotFoundError(`Flavor ${f.id} has no extra specs with key ${key}.`);
  return { [key]: f.extraSpecs[key] };
}

function checkSpecs(specs: unknown): Record<string, string> {
  if (!specs || typeof specs !== 'object' || Array.isArray(specs))
    throw new InvalidInput(
      "Invalid input for field/attribute extra_specs. 'extra_specs' is a required property",
    );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(specs)) {
    if (!/^[\w.:-]{1,255}$/.test(k))
      throw new InvalidInput(`Invalid input for field/attribute extra_specs. Value: ${k}.`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new InvalidInput(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(v)}.`);
    const s = String(v);
    if (s.length > 255) throw new InvalidInput(`Invalid input for field/attribute ${k}. Value: ${s}.`);
    out[k] = s;
  }
  return out;
}

/** `POST /flavors/{id}/os-extra_specs` (merge). */
export async function createExtraSpecs(req: ComputeRequest<{ extra_specs: unknown }>) {
  req.authorize('os_compute_api:os-flavor-extra-specs:create', {});
  const f = await req.services.flavors.get(req.params.flavor_id!);
  if (!f) throw new FlavorNotFound(req.params.flavor_id!);
  const specs = checkSpecs((req.body as { extra_specs?: unknown })?.extra_specs);
  await req.services.flavors.update(f.id, { extraSpecs: { ...f.extraSpecs, ...specs } });
  return { extra_specs: specs };
}

/** `PUT /flavors/{id}/os-extra_specs/{key}`. */
export async function updateExtraSpec(req: ComputeRequest<Record<string, unknown>>) {
  req.authorize('os_compute_api:os-flavor-extra-specs:update', {});
  const f = await req.services.flavors.get(req.params.flavor_id!);
  if (!f) throw new FlavorNotFound(req.params.flavor_id!);
  const body = checkSpecs(req.body);
  const key = req.params.key!;
  if (Object.keys(body).length !== 1) throw new InvalidInput('Request body contains too many items');
  if (!(key in body)) throw new InvalidInput('Request body and URI mismatch');
  await req.services.flavors.update(f.id, { extraSpecs: { ...f.extraSpecs, ...body } });
  return body;
}

/** `DELETE /flavors/{id}/os-extra_specs/{key}`. */
export async function deleteExtraSpec(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-flavor-extra-specs:delete', {});
  const f = await req.services.flavors.get(req.params.flavor_id!);
  if (!f) throw new FlavorNotFound(req.params.flavor_id!);
  const key = req.params.key!;
  if (!(key in f.extraSpecs)) throw new NotFoundError(`Flavor ${f.id} has no extra specs with key ${key}.`);
  const { [key]: _gone, ...rest } = f.extraSpecs;
  await req.services.flavors.update(f.id, { extraSpecs: rest });
  return respond(200);
}

/** `GET /flavors/{id}/os-flavor-access`. */
export async function listFlavorAccess(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-flavor-access', {});
  const f = await req.services.flavors.get(req.params.flavor_id!);
  if (!f) throw new FlavorNotFound(req.params.flavor_id!);
  if (f.isPublic) throw new NotFoundError('Access list not available for public flavors.');
  return {
    flavor_access: (await req.services.flavors.projects(f.id)).map((p) => ({
      flavor_id: f.id,
      tenant_id: p,
    })),
  };
}

/** `POST /flavors/{id}/action` (addTenantAccess, removeTenantAccess). */
export async function flavorAction(req: ComputeRequest<Record<string, { tenant?: string }>>) {
  const [key, value] = Object.entries(req.body ?? {})[0] ?? [];
  if (key !== 'addTenantAccess' && key !== 'removeTenantAccess')
    throw new InvalidInput(`There is no such action: ${key}`);
  req.authorize(
    key === 'addTenantAccess'
      ? 'os_compute_api:os-flavor-access:add_tenant_access'
      : 'os_compute_api:os-flavor-access:remove_tenant_access',
    {},
  );
  const tenant = value?.tenant;
  if (typeof tenant !== 'string' || !tenant)
    throw new InvalidInput("Invalid input for field/attribute tenant. 'tenant' is a required property");
  const f = await req.services.flavors.get(req.params.flavor_id!);
  if (!f) throw new FlavorNotFound(req.params.flavor_id!);
  if (f.isPublic) throw new InvalidInput('Can not add access to a public flavor.');
  if (key === 'addTenantAccess') {
    if ((await req.services.flavors.projects(f.id)).includes(tenant))
      throw new AlreadyExists(
        `Flavor access already exists for flavor ${f.id} and project ${tenant} combination.`,
      );
    await req.services.flavors.addProject(f.id, tenant);
  } else if (!(await req.services.flavors.removeProject(f.id, tenant))) {
    throw new NotFoundError(`Flavor access not found for ${f.id} / ${tenant} combination.`);
  }
  return {
    flavor_access: (await req.services.flavors.projects(f.id)).map((p) => ({
      flavor_id: f.id,
      tenant_id: p,
    })),
  };
}
