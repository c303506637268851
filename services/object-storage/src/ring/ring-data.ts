/** One device of a ring, as `swift-ring-builder` describes it. */
export interface RingDevice {
  id: number;
  region: number;
  zone: number;
  ip: string;
  port: number;
  /** The device's directory name under the server's devices path. */
  device: string;
  weight: number;
  meta: string;
}

/**
 * What a ring file holds: the partition power, and for each replica the device id of every
 * partition. Servers and proxies only ever read this; the builder writes it.
 */
export interface RingData {
  partPower: number;
  replicas: number;
  /** Indexed by device id; removed devices leave a hole (null). */
  devices: (RingDevice | null)[];
  /** `assignment[replica][partition]` is a device id. */
  assignment: Uint16Array[];
}

/** The three rings of a cluster. */
export type RingName = 'account' | 'container' | 'object';
export const RING_NAMES: readonly RingName[] = ['account', 'container', 'object'];
