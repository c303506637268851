import { TypeManager, type TypeManagerOptions } from './type-manager';

/** A type manager for tests: the option defaults of `[ml2]` and `[ml2_type_*]`, with overrides. */
export function testTypeManager(overrides: Partial<TypeManagerOptions> = {}): TypeManager {
  return new TypeManager({
    typeDrivers: ['local', 'flat', 'vlan', 'vxlan', 'gre', 'geneve'],
    tenantNetworkTypes: ['vxlan'],
    flatNetworks: ['*'],
    networkVlanRanges: ['physnet1:1000:2999'],
    vxlanVniRanges: ['1:65535'],
    greTunnelIdRanges: ['1:65535'],
    geneveVniRanges: ['1:65535'],
    geneveMaxHeaderSize: 30,
    physnetMtu: 1500,
    pathMtu: 0,
    ...overrides,
  });
}
