import { defineOptions, opt } from '@nimbus/config';

/** Neutron's `[DEFAULT]` server options, under `[network]`. */
export const networkOptions = defineOptions('network', 'Network service (Neutron v2.0).', {
  base_mac: opt.string({
    default: 'fa:16:3e:00:00:00',
    help: 'Base MAC of ports: the bytes that are not 00 are kept, the others random.',
  }),
  mac_generation_retries: opt.int({
    default: 16,
    min: 1,
    help: 'Attempts to find a free random MAC on a network.',
  }),
  pagination_max_limit: opt.int({
    default: -1,
    min: -1,
    help: 'Most items a list returns in one page (-1: no limit, as upstream).',
  }),
  filter_validation: opt.bool({
    default: true,
    help: 'Reject list filters that are not filterable attributes (400).',
  }),
  global_physnet_mtu: opt.int({ default: 1500, min: 68, help: 'MTU of the underlying physical network.' }),
  max_dns_nameservers: opt.int({ default: 5, min: 0, help: 'Most DNS nameservers a subnet may have.' }),
  max_subnet_host_routes: opt.int({ default: 20, min: 0, help: 'Most host routes a subnet may have.' }),
  max_fixed_ips_per_port: opt.int({ default: 5, min: 1, help: 'Most fixed IPs a port may have.' }),
  ipam_retries: opt.int({
    default: 10,
    min: 1,
    help: 'Attempts to allocate an address when another request took it first.',
  }),
  quota_network: opt.int({ default: 100, min: -1, help: 'Networks a project may have (-1: no limit).' }),
  quota_subnet: opt.int({ default: 100, min: -1, help: 'Subnets a project may have (-1: no limit).' }),
  quota_port: opt.int({ default: 500, min: -1, help: 'Ports a project may have (-1: no limit).' }),
  quota_router: opt.int({ default: 10, min: -1, help: 'Routers a project may have (-1: no limit).' }),
  quota_floatingip: opt.int({
    default: 50,
    min: -1,
    help: 'Floating IPs a project may have (-1: no limit).',
  }),
  quota_security_group: opt.int({
    default: 10,
    min: -1,
    help: 'Security groups a project may have (-1: no limit).',
  }),
  quota_security_group_rule: opt.int({
    default: 100,
    min: -1,
    help: 'Security group rules a project may have (-1: no limit).',
  }),
  mechanism_driver: opt.enum({
    choices: ['fake'],
    default: 'fake',
    help: 'The ML2 mechanism driver that binds ports.',
  }),
});
