import type { NetworkDocument } from '@nimbus/clients';
import { NimbusError, NotFoundError } from '@nimbus/errors';
import type { ComputeRequest } from '../compute-request';
import { isAdmin } from '../compute-request';
import { networkFor, ownProject, translating } from './proxy-request';

/** What `os-networks` shows everyone; the rest of nova-network's fields are null now. */
const FIELDS = [
  'id',
  'cidr',
  'netmask',
  'gateway',
  'broadcast',
  'dns1',
  'dns2',
  'cidr_v6',
  'gateway_v6',
  'label',
  'netmask_v6',
];
/** The fields only an admin sees (all null since nova-network is gone). */
const ADMIN_FIELDS = [
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted',
  'injected',
  'bridge',
  'vlan',
  'vpn_public_address',
  'vpn_public_port',
  'vpn_private_address',
  'dhcp_start',
  'project_id',
  'host',
  'bridge_interface',
  'multi_host',
  'priority',
  'rxtx_base',
  'mtu',
  'dhcp_server',
  'enable_dhcp',
  'share_address',
];

/** A network in `os-networks`' view: its id and name (as `label`), nova-network's other fields null. */
export function networkView(network: NetworkDocument, admin: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of admin ? [...FIELDS, ...ADMIN_FIELDS] : FIELDS)
    view[field] = field === 'id' ? network.id : field === 'label' ? network.name : null;
  return view;
}

/** A network in `os-tenant-networks`' view (its `cidr` is the string "None", as Nova has always said). */
export function tenantNetworkView(network: NetworkDocument): Record<string, unknown> {
  return { id: network.id, cidr: 'None', label: network.name };
}

const notFound = () => new NotFoundError('Network not found', { code: 'COMPUTE_NETWORK_NOT_FOUND' });

/** The answer Nova gives nova-network's write operations on a Neutron cloud. */
class Gone extends NimbusError {
  constructor() {
    super('gone', 'Gone', { code: 'COMPUTE_NOVA_NETWORK_GONE' });
  }
}

/** `GET /os-networks`. */
export async function listNetworks(req: ComputeRequest) {
  req.authorize('os_compute_api:os-networks:list', ownProject(req));
  const admin = isAdmin(req);
  return { networks: (await networkFor(req).listNetworks()).map((n) => networkView(n, admin)) };
}

/** `GET /os-networks/{id}`. */
export async function showNetwork(req: ComputeRequest) {
  req.authorize('os_compute_api:os-networks:show', ownProject(req));
  const network = networkFor(req);
  const net = await translating(() => network.getNetwork(req.params.network_id!), { 404: notFound });
  return { network: networkView(net, isAdmin(req)) };
}

/** `GET /os-tenant-networks`. */
export async function listTenantNetworks(req: ComputeRequest) {
  req.authorize('os_compute_api:os-tenant-networks:list', ownProject(req));
  return { networks: (await networkFor(req).listNetworks()).map(tenantNetworkView) };
}

/** `GET /os-tenant-networks/{id}`. */
export async function showTenantNetwork(req: ComputeRequest) {
  req.authorize('os_compute_api:os-tenant-networks:show', ownProject(req));
  const network = networkFor(req);
  const net = await translating(() => network.getNetwork(req.params.network_id!), { 404: notFound });
  return { network: tenantNetworkView(net) };
}

/** nova-network's create, delete, add and associate actions: 410 on a Neutron cloud, as Nova. */
export function networkGone(): never {
  throw new Gone();
}
