import { api } from './cloud-api';
import type { FuzzCloud } from './fuzz-cloud';
import type { FuzzSession } from './fuzz-session';
import type { AddTarget } from './placement-fixtures';

/**
 * Makes the network API's scratch resources: networks (one external), subnets, a port, a
 * security group and rule, a router with an interface and a floating IP, tagged `t1`. A
 * resource that cannot be made is left out.
 */
export async function makeNetworkTargets(cloud: FuzzCloud, s: FuzzSession, add: AddTarget): Promise<void> {
  const create = async (collection: string, resource: string, body: Record<string, unknown>) => {
    const a = await api(cloud, 'network', 'POST', `/v2.0/${collection}`, {
      token: s.admin,
      body: { [resource]: body },
    }).catch(() => undefined);
    const id = a && a.status < 300 ? (a.json?.[resource]?.id as string | undefined) : undefined;
    if (id) {
      await api(cloud, 'network', 'PUT', `/v2.0/${collection}/${id}/tags/t1`, { token: s.admin }).catch(
        () => undefined,
      );
    }
    add(`${collection}/:id`, id);
    return id;
  };
  const net = await create('networks', 'network', { name: 'fuzz-net' });
  const ext = await create('networks', 'network', { name: 'fuzz-ext', 'router:external': true });
  const subnet = await create('subnets', 'subnet', {
    network_id: net,
    cidr: '10.9.0.0/24',
    ip_version: 4,
    name: 'fuzz-subnet',
  });
  await create('subnets', 'subnet', { network_id: ext, cidr: '172.31.9.0/24', ip_version: 4 });
  await create('subnets', 'subnet', { network_id: net, cidr: 'fd00:9::/64', ip_version: 6 });
  const port = await create('ports', 'port', { network_id: net, name: 'fuzz-port' });
  const sg = await create('security-groups', 'security_group', { name: 'fuzz-sg' });
  await create('security-group-rules', 'security_group_rule', {
    security_group_id: sg,
    direction: 'ingress',
    ethertype: 'IPv4',
    protocol: 'tcp',
    port_range_min: 22,
    port_range_max: 22,
  });
  const router = await create('routers', 'router', {
    name: 'fuzz-router',
    external_gateway_info: ext ? { network_id: ext } : undefined,
  });
  if (router && subnet) {
    await api(cloud, 'network', 'PUT', `/v2.0/routers/${router}/add_router_interface`, {
      token: s.admin,
      body: { subnet_id: subnet },
    }).catch(() => undefined);
  }
  await create('floatingips', 'floatingip', { floating_network_id: ext, port_id: port });
  add('quotas/:project_id', s.adminProjectId, s.memberProjectId);
  add('extensions/:alias', 'router', 'security-group', 'quotas', 'bogus');
}
