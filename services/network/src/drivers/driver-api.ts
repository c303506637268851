/** What the driver learns of a network when it is made. */
export interface NetworkSegment {
  id: string;
  networkType: string;
  segmentationId: number | null;
}

/** A port to bind on a host, with the segment it lands on. */
export interface BindingRequest {
  portId: string;
  networkId: string;
  hostId: string;
  /** `normal`, `direct`, `macvtap`... */
  vnicType: string;
  profile: Record<string, unknown>;
  segment: { networkType: string; segmentationId: number | null };
}

/** How the port is plugged, as Nova reads `binding:vif_type` and `binding:vif_details`. */
export interface PortBinding {
  vifType: string;
  vifDetails: Record<string, unknown>;
}

/**
 * The ML2 mechanism driver contract. Only the network API role calls it, after the database
 * change is committed; a driver never touches the database. Calls may block on the data plane
 * (bridges, namespaces) but must be idempotent per id, since a retried request repeats them.
 * A thrown error means the data plane did not follow: the API reports it, the state stays.
 */
export interface NetworkDriver {
  /** The driver's name (`fake`, `linuxbridge`). */
  readonly name: string;
  /** VNIC types the driver can bind (`binding:vnic_type`). */
  readonly vnicTypes: readonly string[];
  networkCreated?(segment: NetworkSegment): Promise<void>;
  networkDeleted?(networkId: string): Promise<void>;
  /**
   * Binds a port on a host: answers the VIF type and details, or undefined when this driver
   * cannot bind it (the port becomes `binding_failed`). Synchronous in the API request.
   */
  bindPort(request: BindingRequest): Promise<PortBinding | undefined>;
  /** The port is gone (or unbound from its host). */
  portUnbound?(portId: string, hostId: string): Promise<void>;
}

/** Makes a driver from the service's options. */
export type NetworkDriverFactory = () => NetworkDriver;
