import fc from 'fast-check';
import type { FuzzTargets } from './fuzz-targets';
import { hostileJson, hostileString } from './hostile-values';

/**
 * Valid-looking bodies for the network API's routes, which parse their bodies by hand
 * (`{"network": {...}}`, bulk `{"networks": [...]}`). Keyed like the route labels.
 */
export function networkBodyHints(targets: FuzzTargets): Record<string, fc.Arbitrary<unknown>> {
  const ref = (key: string) => {
    const known = targets.ids[key] ?? [];
    return fc.oneof(
      {
        arbitrary: fc.constantFrom(...(known.length ? known : ['00000000-0000-0000-0000-000000000000'])),
        weight: 6,
      },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: hostileJson, weight: 1 },
    );
  };
  const net = ref('networks/:id');
  const subnet = ref('subnets/:id');
  const port = ref('ports/:id');
  const sg = ref('security-groups/:id');
  const name = fc.oneof(fc.string({ maxLength: 20 }), hostileString);
  const bool = fc.oneof({ arbitrary: fc.boolean(), weight: 4 }, { arbitrary: hostileJson, weight: 1 });
  const cidr = fc.oneof(
    fc.constantFrom(
      '10.9.0.0/24',
      '10.9.1.0/28',
      '192.168.255.0/30',
      'fd00:9::/64',
      '0.0.0.0/0',
      '10.9.0.0/33',
      '10.9.0.1/24',
      '::/0',
      '10.0.0.0/8',
      '1.2.3.4/32',
      'garbage',
    ),
    hostileString,
  );
  const ip = fc.oneof(
    fc.constantFrom('10.9.0.5', '10.9.0.1', '10.9.0.255', 'fd00:9::5', '999.1.1.1', '', '10.9.0.0'),
    fc.ipV4(),
    hostileString,
  );
  const portRange = fc.oneof(fc.integer({ min: -1, max: 65_536 }), fc.constant(null), hostileJson);
  const attrs = {
    network: {
      name,
      admin_state_up: bool,
      shared: bool,
      mtu: fc.oneof(fc.integer({ min: 0, max: 70_000 }), hostileJson),
      'router:external': bool,
      port_security_enabled: bool,
      description: name,
      'provider:network_type': fc.constantFrom('flat', 'vlan', 'vxlan', 'geneve', 'local', 'bogus'),
      'provider:physical_network': fc.constantFrom('physnet1', '', 'x'),
      'provider:segmentation_id': fc.oneof(fc.integer({ min: -1, max: 20_000_000 }), hostileJson),
      tenant_id: fc.oneof(fc.uuid(), hostileString),
      bogus: hostileJson,
    },
    subnet: {
      network_id: net,
      cidr,
      ip_version: fc.oneof(fc.constantFrom(4, 6, 5, '4'), hostileJson),
      name,
      gateway_ip: fc.oneof(ip, fc.constant(null)),
      enable_dhcp: bool,
      allocation_pools: fc.oneof(fc.array(fc.record({ start: ip, end: ip }), { maxLength: 3 }), hostileJson),
      dns_nameservers: fc.oneof(fc.array(ip, { maxLength: 7 }), hostileJson),
      host_routes: fc.oneof(
        fc.array(fc.record({ destination: cidr, nexthop: ip }), { maxLength: 3 }),
        hostileJson,
      ),
      ipv6_ra_mode: fc.constantFrom('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless', 'bogus'),
      ipv6_address_mode: fc.constantFrom('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless', 'bogus'),
      subnetpool_id: fc.oneof(fc.uuid(), hostileJson),
      prefixlen: fc.oneof(fc.integer({ min: -1, max: 130 }), hostileJson),
    },
    port: {
      network_id: net,
      name,
      admin_state_up: bool,
      mac_address: fc.oneof(
        fc.constantFrom('fa:16:3e:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', 'zz', ''),
        hostileString,
      ),
      fixed_ips: fc.oneof(
        fc.array(fc.record({ subnet_id: subnet, ip_address: ip }, { requiredKeys: [] }), { maxLength: 6 }),
        hostileJson,
      ),
      security_groups: fc.oneof(fc.array(sg, { maxLength: 3 }), hostileJson),
      device_id: name,
      device_owner: fc.constantFrom('compute:nova', 'network:router_interface', 'network:dhcp', '', 'x'),
      'binding:host_id': name,
      'binding:vnic_type': fc.constantFrom('normal', 'direct', 'bogus'),
      'binding:profile': hostileJson,
      allowed_address_pairs: fc.oneof(
        fc.array(
          fc.record({ ip_address: fc.oneof(ip, cidr), mac_address: hostileJson }, { requiredKeys: [] }),
          {
            maxLength: 3,
          },
        ),
        hostileJson,
      ),
      port_security_enabled: bool,
    },
    security_group: { name, description: name, stateful: bool },
    security_group_rule: {
      security_group_id: sg,
      direction: fc.constantFrom('ingress', 'egress', 'sideways', ''),
      ethertype: fc.constantFrom('IPv4', 'IPv6', 'ipv4', 'x'),
      protocol: fc.oneof(
        fc.constantFrom('tcp', 'udp', 'icmp', 'ipv6-icmp', 'any', '6', '256', null),
        hostileJson,
      ),
      port_range_min: portRange,
      port_range_max: portRange,
      remote_ip_prefix: fc.oneof(cidr, fc.constant(null)),
      remote_group_id: fc.oneof(sg, fc.constant(null)),
    },
    router: {
      name,
      admin_state_up: bool,
      external_gateway_info: fc.oneof(
        fc.record(
          {
            network_id: net,
            enable_snat: bool,
            external_fixed_ips: fc.array(
              fc.record({ subnet_id: subnet, ip_address: ip }, { requiredKeys: [] }),
              {
                maxLength: 2,
              },
            ),
          },
          { requiredKeys: [] },
        ),
        fc.constant(null),
        hostileJson,
      ),
      routes: fc.oneof(
        fc.array(fc.record({ destination: cidr, nexthop: ip }), { maxLength: 3 }),
        hostileJson,
      ),
      distributed: bool,
      ha: bool,
    },
    floatingip: {
      floating_network_id: net,
      port_id: fc.oneof(port, fc.constant(null)),
      fixed_ip_address: ip,
      floating_ip_address: ip,
      subnet_id: subnet,
      description: name,
    },
  } satisfies Record<string, Record<string, fc.Arbitrary<unknown>>>;
  const collections: [keyof typeof attrs, string, string][] = [
    ['network', 'networks', 'networks'],
    ['subnet', 'subnets', 'subnets'],
    ['port', 'ports', 'ports'],
    ['security_group', 'security_groups', 'security-groups'],
    ['security_group_rule', 'security_group_rules', 'security-group-rules'],
    ['router', 'routers', 'routers'],
    ['floatingip', 'floatingips', 'floatingips'],
  ];
  // Bodies that should be accepted, so that creation paths run past validation.
  const octet = fc.integer({ min: 0, max: 255 });
  const clean: Record<keyof typeof attrs, fc.Arbitrary<Record<string, unknown>>> = {
    network: fc.record({ name: fc.string({ maxLength: 10 }) }),
    subnet: fc
      .tuple(net, octet, fc.boolean())
      .map(([network_id, n, v6]) =>
        v6
          ? { network_id, cidr: `fd00:${n.toString(16)}::/64`, ip_version: 6 }
          : { network_id, cidr: `10.${n}.${n}.0/24`, ip_version: 4 },
      ),
    port: fc.record(
      {
        network_id: net,
        name: fc.string({ maxLength: 10 }),
        fixed_ips: fc.tuple(fc.record({ subnet_id: subnet })),
      },
      { requiredKeys: ['network_id'] },
    ),
    security_group: fc.record({ name: fc.string({ maxLength: 10 }) }),
    security_group_rule: fc
      .tuple(sg, fc.constantFrom('ingress', 'egress'), fc.integer({ min: 1, max: 65_535 }))
      .map(([security_group_id, direction, p]) => ({
        security_group_id,
        direction,
        ethertype: 'IPv4',
        protocol: 'tcp',
        port_range_min: p,
        port_range_max: p,
      })),
    router: fc.record({ name: fc.string({ maxLength: 10 }) }),
    floatingip: fc.record({ floating_network_id: net }),
  };
  const hints: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [resource, collection, path] of collections) {
    const one = fc.record(attrs[resource] as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });
    hints[`POST /v2.0/${path}`] = fc.oneof(
      { arbitrary: one.map((o) => ({ [resource]: o })), weight: 6 },
      { arbitrary: clean[resource].map((o) => ({ [resource]: o })), weight: 4 },
      { arbitrary: fc.array(one, { maxLength: 3 }).map((l) => ({ [collection]: l })), weight: 1 },
      { arbitrary: one.map((o) => ({ [collection]: [{ [resource]: o }, o] })), weight: 1 },
    );
    hints[`PUT /v2.0/${path}/:id`] = fc.oneof(
      one.map((o) => ({ [resource]: o })),
      fc.record({ name: fc.string({ maxLength: 10 }) }).map((o) => ({ [resource]: o })),
    );
    const tag = fc.oneof(fc.constantFrom('t1', 'fuzz-tag', '', 'x'.repeat(300), 'a,b', 'a/b'), hostileString);
    hints[`PUT /v2.0/${path}/:id/tags`] = fc.oneof(
      fc.record({ tags: fc.array(tag, { maxLength: 5 }) }),
      fc.record({ tags: hostileJson }),
    );
  }
  const iface = fc.record({ subnet_id: subnet, port_id: port }, { requiredKeys: [] });
  hints['PUT /v2.0/routers/:id/add_router_interface'] = iface;
  hints['PUT /v2.0/routers/:id/remove_router_interface'] = iface;
  hints['PUT /v2.0/quotas/:project_id'] = fc.record({
    quota: fc.record(
      {
        network: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        subnet: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        port: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        router: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        floatingip: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        security_group: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        security_group_rule: fc.oneof(fc.integer({ min: -2, max: 1000 }), hostileJson),
        force: bool,
        check_limit: bool,
        bogus: hostileJson,
      },
      { requiredKeys: [] },
    ),
  });
  return hints;
}
