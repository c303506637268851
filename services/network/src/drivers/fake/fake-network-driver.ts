import type { BindingRequest, NetworkDriver, PortBinding } from '../driver-api';

/**
 * The fake mechanism driver: no data plane; binds every `normal` port on any host as Open
 * vSwitch with hybrid plugging would (`binding:vif_type` `ovs`), refuses other VNIC types.
 * It records what it was told, for tests.
 */
export class FakeNetworkDriver implements NetworkDriver {
  readonly name = 'fake';
  readonly vnicTypes = ['normal'];
  /** Networks and bound ports the driver was told about. */
  readonly networks = new Set<string>();
  readonly boundPorts = new Map<string, string>();

  async networkCreated(segment: { id: string }): Promise<void> {
    this.networks.add(segment.id);
  }

  async networkDeleted(networkId: string): Promise<void> {
    this.networks.delete(networkId);
  }

  async bindPort(request: BindingRequest): Promise<PortBinding | undefined> {
    if (!this.vnicTypes.includes(request.vnicType)) return undefined;
    this.boundPorts.set(request.portId, request.hostId);
    return {
      vifType: 'ovs',
      vifDetails: {
        connectivity: 'l2',
        port_filter: true,
        ovs_hybrid_plug: false,
        datapath_type: 'system',
        bridge_name: 'br-int',
      },
    };
  }

  async portUnbound(portId: string): Promise<void> {
    this.boundPorts.delete(portId);
  }
}
