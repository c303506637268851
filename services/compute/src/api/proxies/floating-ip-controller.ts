import type { FloatingIpDocument, NetworkClient, NetworkDocument } from '@nimbus/clients';
import { BadRequestError, ConflictError, ForbiddenError, InternalError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { ComputeRequest } from '../compute-request';
import { isUuidLike, networkFor, ownProject, remoteStatus, translating } from './proxy-request';

const P = 'os_compute_api:os-floating-ips';
/** Nova's `[neutron] default_floating_pool`. */
const DEFAULT_POOL = 'nova';

/** A floating IP in Nova's view: its pool is its network's name (or id). */
export function floatingIpView(fip: FloatingIpDocument, network: NetworkDocument): Record<string, unknown> {
  const port = fip.port_details ?? null;
  return {
    id: fip.id,
    ip: fip.floating_ip_address,
    pool: network.name || network.id,
    fixed_ip: fip.fixed_ip_address ?? null,
    instance_id: port ? (port.device_id ?? null) : null,
  };
}

/** The floating IP's network; Nova's NetworkNotFound (404) when it is gone. */
async function poolOf(network: NetworkClient, fip: FloatingIpDocument): Promise<NetworkDocument> {
  return translating(() => network.getNetwork(fip.floating_network_id), {
    404: () =>
      new NotFoundError(`Network ${fip.floating_network_id} could not be found.`, {
        code: 'COMPUTE_NETWORK_NOT_FOUND',
      }),
  });
}

/** One floating IP by id, with Nova's 404 message. */
async function getFloatingIp(network: NetworkClient, id: string): Promise<FloatingIpDocument> {
  return translating(() => network.getFloatingIp(id), {
    404: () =>
      new NotFoundError(`Floating IP not found for ID ${id}`, { code: 'COMPUTE_FLOATING_IP_NOT_FOUND' }),
  });
}

/**
 * The one floating IP with this address, as Nova's network API finds it: 404 when there is none,
 * 409 when there are several.
 */
export async function floatingIpByAddress(
  network: NetworkClient,
  address: string,
  missing = `Floating IP not found for address ${address}.`,
): Promise<FloatingIpDocument> {
  let found: FloatingIpDocument[] = [];
  if (address) {
    try {
      found = await network.listFloatingIps({ floating_ip_address: address });
    } catch (err) {
      if (remoteStatus(err) !== 404) throw err;
    }
  }
  if (!found.length) throw new NotFoundError(missing, { code: 'COMPUTE_FLOATING_IP_NOT_FOUND' });
  if (found.length > 1)
    throw new ConflictError(`Multiple floating IPs are found for address ${address}.`, {
      code: 'COMPUTE_FLOATING_IP_MULTIPLE',
    });
  return found[0]!;
}

/** `GET /os-floating-ips`: the caller's project's. */
export async function listFloatingIps(req: ComputeRequest) {
  req.authorize(`${P}:list`, ownProject(req));
  const network = networkFor(req);
  let fips: FloatingIpDocument[] = [];
  try {
    fips = await network.listFloatingIps({ project_id: req.credentials.projectId ?? '' });
  } catch (err) {
    // A network service without the L3 API has no floating IPs.
    if (remoteStatus(err) !== 404) throw err;
  }
  const pools = new Map<string, NetworkDocument>();
  for (const fip of fips)
    if (!pools.has(fip.floating_network_id)) pools.set(fip.floating_network_id, await poolOf(network, fip));
  return { floating_ips: fips.map((f) => floatingIpView(f, pools.get(f.floating_network_id)!)) };
}

/** `GET /os-floating-ips/{id}`. */
export async function showFloatingIp(req: ComputeRequest) {
  req.authorize(`${P}:show`, ownProject(req));
  const network = networkFor(req);
  const fip = await getFloatingIp(network, req.params.floating_ip_id!);
  return { floating_ip: floatingIpView(fip, await poolOf(network, fip)) };
}

/** The external network a pool name (or id) names. */
async function poolNetwork(network: NetworkClient, pool: string): Promise<NetworkDocument> {
  const nets = await network.listNetworks({
    'router:external': true,
    ...(isUuidLike(pool) ? { id: pool } : { name: pool }),
  });
  if (!nets.length)
    throw new NotFoundError('Floating IP pool not found.', { code: 'COMPUTE_FLOATING_IP_POOL_NOT_FOUND' });
  if (nets.length > 1) throw new InternalError(`Multiple floating IP pools matches found for name '${pool}'`);
  return nets[0]!;
}

/** `POST /os-floating-ips` (`{"pool": name or id}`, else the default pool). */
export async function createFloatingIp(req: ComputeRequest) {
  req.authorize(`${P}:create`, ownProject(req));
  const body = req.body as Record<string, unknown> | undefined | null;
  const requested = body && typeof body === 'object' && body.pool ? String(body.pool) : undefined;
  const network = networkFor(req);
  const pool = await poolNetwork(network, requested ?? DEFAULT_POOL);
  const exhausted = () =>
    new NotFoundError(
      requested ? `No more floating IPs in pool ${requested}.` : 'No more floating IPs available.',
      {
        code: 'COMPUTE_NO_MORE_FLOATING_IPS',
      },
    );
  const fip = await translating(() => network.createFloatingIp({ floating_network_id: pool.id }), {
    409: (m) =>
      /quota/i.test(m)
        ? new ForbiddenError(
            requested ? `IP allocation over quota in pool ${requested}.` : 'IP allocation over quota.',
            {
              code: 'COMPUTE_FLOATING_IP_LIMIT',
            },
          )
        : exhausted(),
    400: (m) =>
      /exhausted|no more ip|unable to find any ip/i.test(m)
        ? exhausted()
        : new BadRequestError(m, { code: 'COMPUTE_FLOATING_IP_BAD_REQUEST' }),
  });
  return { floating_ip: floatingIpView(fip, pool) };
}

/** `DELETE /os-floating-ips/{id}`: disassociates and releases it. */
export async function deleteFloatingIp(req: ComputeRequest) {
  req.authorize(`${P}:delete`, ownProject(req));
  const network = networkFor(req);
  const fip = await getFloatingIp(network, req.params.floating_ip_id!);
  await translating(() => network.deleteFloatingIp(fip.id), {
    404: () =>
      new NotFoundError(`Floating IP not found for address ${fip.floating_ip_address}.`, {
        code: 'COMPUTE_FLOATING_IP_NOT_FOUND',
      }),
  });
  return respond(202);
}

/** `GET /os-floating-ip-pools`: the external networks. */
export async function listFloatingIpPools(req: ComputeRequest) {
  req.authorize('os_compute_api:os-floating-ip-pools', {});
  const nets = await networkFor(req).listNetworks({ 'router:external': true });
  return { floating_ip_pools: nets.map((n) => ({ name: n.name || n.id })) };
}
