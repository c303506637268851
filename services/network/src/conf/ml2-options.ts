import { defineOptions, opt } from '@nimbus/config';

/** ML2's `[ml2]` options: which type drivers load and which types project networks get. */
export const ml2Options = defineOptions('ml2', 'ML2 plugin: network types of the network service.', {
  type_drivers: opt.list({
    default: ['local', 'flat', 'vlan', 'vxlan', 'gre', 'geneve'],
    help: 'Network types that may be created (local, flat, vlan, vxlan, gre, geneve).',
  }),
  tenant_network_types: opt.list({
    default: ['vxlan'],
    help: 'Types given to project networks, in order of preference: the first with a free id wins.',
  }),
  path_mtu: opt.int({
    default: 0,
    min: 0,
    help: 'MTU of the overlay path; 0 uses the physical MTU ([network] global_physnet_mtu).',
  }),
});

/** `[ml2_type_flat]`. */
export const ml2FlatOptions = defineOptions('ml2_type_flat', 'ML2 flat type driver.', {
  flat_networks: opt.list({
    default: ['*'],
    help: "Physical networks flat networks may be made on; '*' allows any, empty allows none.",
  }),
});

/** `[ml2_type_vlan]`. */
export const ml2VlanOptions = defineOptions('ml2_type_vlan', 'ML2 VLAN type driver.', {
  network_vlan_ranges: opt.list({
    default: ['physnet1:1000:2999'],
    help: '<physical_network>[:<vlan_min>:<vlan_max>]: physical networks VLAN networks may use, and the VLAN ids project networks are given.',
  }),
});

/** `[ml2_type_vxlan]`. */
export const ml2VxlanOptions = defineOptions('ml2_type_vxlan', 'ML2 VXLAN type driver.', {
  vni_ranges: opt.list({
    default: ['1:65535'],
    help: '<vni_min>:<vni_max> ranges of VNIs for project networks.',
  }),
});

/** `[ml2_type_gre]`. */
export const ml2GreOptions = defineOptions('ml2_type_gre', 'ML2 GRE type driver.', {
  tunnel_id_ranges: opt.list({
    default: ['1:65535'],
    help: '<tun_min>:<tun_max> ranges of GRE tunnel ids for project networks.',
  }),
});

/** `[ml2_type_geneve]`. */
export const ml2GeneveOptions = defineOptions('ml2_type_geneve', 'ML2 Geneve type driver.', {
  vni_ranges: opt.list({
    default: ['1:65535'],
    help: '<vni_min>:<vni_max> ranges of Geneve VNIs for project networks.',
  }),
  max_header_size: opt.int({
    default: 30,
    min: 0,
    help: 'Geneve encapsulation header size (MTU overhead is this plus 28).',
  }),
});

/** Every ML2 option group, in the order the sample lists them. */
export const ml2OptionGroups = [
  ml2Options,
  ml2FlatOptions,
  ml2VlanOptions,
  ml2VxlanOptions,
  ml2GreOptions,
  ml2GeneveOptions,
];
