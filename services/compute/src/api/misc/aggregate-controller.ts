import { NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { Aggregate } from '../../db/aggregate-repository';
import { AlreadyExists, InvalidInput } from '../../manager/compute-errors';
import type { ComputeRequest } from '../compute-request';
import { isoMicros } from '../compute-view-helpers';

function view(req: ComputeRequest<unknown>, a: Aggregate, full = true) {
  return {
    id: a.id,
    name: a.name,
    availability_zone: a.metadata.availability_zone ?? null,
    created_at: isoMicros(a.createdAt),
    updated_at: isoMicros(a.updatedAt),
    deleted_at: null,
    deleted: false,
    ...(full ? { hosts: a.hosts, metadata: a.metadata } : {}),
    ...(req.microversion.atLeast('2.41') ? { uuid: a.uuid } : {}),
  };
}

async function find(req: ComputeRequest<unknown>): Promise<Aggregate> {
  const id = req.params.aggregate_id!;
  const a = await req.services.aggregates.get(id);
  if (!a) throw new NotFoundError(`Aggregate ${id} could not be found.`);
  return a;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length < 1 || name.length > 255) {
    throw new InvalidInput(`Invalid input for field/attribute name. Value: ${String(name)}.`);
  }
  return name;
}

function checkZone(az: unknown): string | undefined {
  if (az === undefined || az === null) return undefined;
  if (typeof az !== 'string' || az.length < 1 || az.length > 255 || az.includes(':')) {
    throw new InvalidInput(`Invalid input for field/attribute availability_zone. Value: ${String(az)}.`);
  }
  return az;
}

/** `GET /os-aggregates`. */
export async function listAggregates(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-aggregates:index', {});
  return { aggregates: (await req.services.aggregates.all()).map((a) => view(req, a)) };
}

/** `POST /os-aggregates`. */
export async function createAggregate(
  req: ComputeRequest<{ aggregate: { name?: unknown; availability_zone?: unknown } }>,
) {
  req.authorize('os_compute_api:os-aggregates:create', {});
  const b = req.body?.aggregate;
  if (!b || typeof b !== 'object')
    throw new InvalidInput("Invalid input for field/attribute aggregate. 'aggregate' is a required property");
  const extra = Object.keys(b).filter((k) => k !== 'name' && k !== 'availability_zone');
  if (extra.length)
    throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
  const name = checkName(b.name);
  const az = checkZone(b.availability_zone);
  if ((await req.services.aggregates.all()).some((a) => a.name === name))
    throw new AlreadyExists(`Aggregate ${name} already exists.`);
  const a = await req.services.aggregates.create(name, az ? { availability_zone: az } : {});
  return { aggregate: view(req, a, false) };
}

/** `GET /os-aggregates/{id}`. */
export async function showAggregate(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-aggregates:show', {});
  return { aggregate: view(req, await find(req)) };
}

/** `PUT /os-aggregates/{id}`. */
export async function updateAggregate(
  req: ComputeRequest<{ aggregate: { name?: unknown; availability_zone?: unknown } }>,
) {
  req.authorize('os_compute_api:os-aggregates:update', {});
  const a = await find(req);
  const b = req.body?.aggregate ?? {};
  if (!Object.keys(b).length)
    throw new InvalidInput(
      'Invalid input for field/attribute aggregate. Value: {}. {} does not have enough properties',
    );
  const name = b.name !== undefined ? checkName(b.name) : undefined;
  if (name && name !== a.name && (await req.services.aggregates.all()).some((x) => x.name === name))
    throw new AlreadyExists(`Aggregate ${name} already exists.`);
  const metadata = { ...a.metadata };
  if (b.availability_zone !== undefined) {
    const az = checkZone(b.availability_zone);
    if (az) metadata.availability_zone = az;
    else delete metadata.availability_zone;
  }
  await req.services.aggregates.update(a.id, { ...(name ? { name } : {}), metadata });
  return { aggregate: view(req, (await req.services.aggregates.get(String(a.id)))!) };
}

/** `DELETE /os-aggregates/{id}`: only an aggregate without hosts. */
export async function deleteAggregate(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-aggregates:delete', {});
  const a = await find(req);
  if (a.hosts.length) throw new InvalidInput(`Cannot remove aggregate ${a.id}: it still has hosts`);
  await req.services.aggregates.delete(a.id);
  return respond(200);
}

/** `POST /os-aggregates/{id}/action`: add_host, remove_host, set_metadata. */
export async function aggregateAction(req: ComputeRequest<Record<string, any>>) {
  const [key, value] = Object.entries(req.body ?? {})[0] ?? [];
  const a = await find(req);
  switch (key) {
    case 'add_host': {
      req.authorize('os_compute_api:os-aggregates:add_host', {});
      const host = value?.host;
      if (typeof host !== 'string' || !host)
        throw new InvalidInput("Invalid input for field/attribute add_host. 'host' is a required property");
      const known = (await req.services.hosts.services()).some(
        (s) => s.binary === 'nova-compute' && s.host === host,
      );
      if (!known) throw new NotFoundError(`Compute host ${host} could not be found.`);
      if (a.hosts.includes(host)) throw new AlreadyExists(`Aggregate ${a.id} already has host ${host}.`);
      await req.services.aggregates.update(a.id, { hosts: [...a.hosts, host] });
      break;
    }
    case 'remove_host': {
      req.authorize('os_compute_api:os-aggregates:remove_host', {});
      const host = value?.host;
      if (typeof host !== 'string' || !host)
        throw new InvalidInput(
          "Invalid input for field/attribute remove_host. 'host' is a required property",
        );
      if (!a.hosts.includes(host)) throw new NotFoundError(`Cannot remove host ${host} in aggregate ${a.id}`);
      await req.services.aggregates.update(a.id, { hosts: a.hosts.filter((h) => h !== host) });
      break;
    }
    case 'set_metadata': {
      req.authorize('os_compute_api:os-aggregates:set_metadata', {});
      const md = value?.metadata;
      if (!md || typeof md !== 'object' || Array.isArray(md))
        throw new InvalidInput(
          "Invalid input for field/attribute set_metadata. 'metadata' is a required property",
        );
      const metadata = { ...a.metadata };
      for (const [k, v] of Object.entries(md)) {
        if (k.length < 1 || k.length > 255)
          throw new InvalidInput(`Invalid input for field/attribute metadata. Value: ${k}.`);
        if (v === null) delete metadata[k];
        else if (typeof v === 'string' && v.length <= 255) metadata[k] = v;
        else throw new InvalidInput(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(v)}.`);
      }
      await req.services.aggregates.update(a.id, { metadata });
      break;
    }
    default:
      throw new InvalidInput(`There is no such action: ${key}`);
  }
  return { aggregate: view(req, (await req.services.aggregates.get(String(a.id)))!) };
}
