import { NimbusError } from '@nimbus/errors';

/** Nova's power states (the integers the API shows as `OS-EXT-STS:power_state`). */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;
export type PowerStateValue = (typeof PowerState)[keyof typeof PowerState];

/** Static feature flags of a driver; reported to placement as traits (`COMPUTE_*`). */
export interface ComputeCapabilities {
  supportsRescue: boolean;
  supportsPause: boolean;
  supportsSuspend: boolean;
  supportsLiveMigration: boolean;
  supportsConsoleLog: boolean;
  supportsAttachInterface: boolean;
  supportsMultiattach: boolean;
}

/** What one host offers, as the resource tracker reports it to placement. */
export interface HostResources {
  vcpus: number;
  memoryMb: number;
  localGb: number;
  numaCells: number;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  cpuInfo: Record<string, unknown>;
}

/** One network interface the guest gets (a bound port). */
export interface GuestVif {
  portId: string;
  macAddress: string;
  networkId: string;
  fixedIps: string[];
}

/** What `spawn` needs: everything is resolved before, the driver never calls another service. */
export interface SpawnRequest {
  instanceId: string;
  host: string;
  name: string;
  flavor: { vcpus: number; memoryMb: number; rootGb: number; ephemeralGb: number; swapMb: number };
  imageId: string;
  vifs: GuestVif[];
  userData?: string;
  adminPassword?: string;
  /** Volumes connected before the spawn (boot from volume: the one at `/dev/vda` is the root disk). */
  blockDevices?: VolumeConnection[];
}

/** A volume as the block-storage attachment hands it over: where the guest finds it. */
export interface VolumeConnection {
  volumeId: string;
  /** The guest device (`/dev/vdb`). */
  device: string;
  /** Block storage's connection info for this host's connector (driver-specific). */
  connectionInfo: Record<string, unknown>;
}

/** A block device the guest has now, as the driver sees it. */
export interface GuestBlockDevice {
  volumeId: string;
  device: string;
  sizeGb?: number;
}

/** A guest as the driver sees it. */
export interface GuestInfo {
  powerState: PowerStateValue;
}

/**
 * A driver failure. `retryable` true: the backend failed in a way another host may not (the
 * conductor reschedules); false: the request itself cannot be built anywhere.
 */
export class DriverError extends NimbusError {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super('internal', message, { code: 'COMPUTE_DRIVER_ERROR' });
  }
}

/**
 * What every compute driver does. Only the compute agent calls it, one call at a time per
 * instance (the agent serialises operations on one instance). A driver never touches the
 * database and never calls another service: images, ports and volumes are resolved by the agent
 * before the call. Every method may block on the backend (a QEMU process, QMP) for as long as
 * the operation takes; it must be idempotent per instance id, so an agent restarting mid-call
 * can repeat it. Errors are DriverError: `retryable` tells the conductor whether another host may
 * succeed.
 */
export interface ComputeDriver {
  /** Static feature flags; reported to placement as traits. */
  readonly capabilities: ComputeCapabilities;
  /** Reaches the backend and checks configuration; throwing keeps the host disabled. */
  init(host: string): Promise<void>;
  /** The host's resources; called by the resource tracker every report interval. */
  hostResources(host: string): HostResources;
  /** Creates and starts a guest. Resolves once it runs. */
  spawn(request: SpawnRequest): Promise<GuestInfo>;
  /** Stops and removes a guest and its local disks; a guest already gone is fine. */
  destroy(host: string, instanceId: string): Promise<void>;
  /** Power operations; each resolves once the guest is in the new state. */
  powerOff(host: string, instanceId: string): Promise<void>;
  powerOn(host: string, instanceId: string): Promise<void>;
  reboot(host: string, instanceId: string, hard: boolean): Promise<void>;
  pause(host: string, instanceId: string): Promise<void>;
  unpause(host: string, instanceId: string): Promise<void>;
  suspend(host: string, instanceId: string): Promise<void>;
  resume(host: string, instanceId: string): Promise<void>;
  /** The guest's power state, or undefined when the host has no such guest (power-state sync). */
  powerState(host: string, instanceId: string): PowerStateValue | undefined;
  /** Guests the host runs (orphan reaping). */
  listGuests(host: string): string[];
  /** Sets the guest's admin password (changePassword); resolves once the guest took it. */
  setAdminPassword(host: string, instanceId: string, password: string): Promise<void>;
  /** Injects an NMI into the guest (trigger_crash_dump). */
  injectNmi(host: string, instanceId: string): Promise<void>;
  /** The guest's console log. */
  consoleOutput(host: string, instanceId: string): Promise<string>;
  /**
   * Boots the guest from the rescue image `imageId`, its own disk attached beside it (a stopped
   * guest starts); resolves once the rescue system runs. DriverError for a guest already in rescue.
   */
  rescue(host: string, instanceId: string, request: RescueRequest): Promise<void>;
  /** Boots the guest from its own disk again; resolves once it runs. */
  unrescue(host: string, instanceId: string): Promise<void>;
  /**
   * A copy of the guest's root disk as image data (createImage, createBackup, shelve), taken
   * while the guest runs or not; resolves with the bytes once the copy is whole.
   */
  snapshot(host: string, instanceId: string): Promise<Buffer>;
  /**
   * What this host gives block storage to connect a volume (Cinder's connector: `host`,
   * `initiator`, `ip`, `multipath`…). Pure, no backend call.
   */
  volumeConnector(host: string): Record<string, unknown>;
  /**
   * Hot-plugs a connected volume into a guest (running or not) at `connection.device`; resolves
   * once the guest has it. Attaching the same volume again is fine (idempotent).
   */
  attachVolume(host: string, instanceId: string, connection: VolumeConnection): Promise<void>;
  /** Unplugs a volume from a guest; a volume the guest does not have is fine. */
  detachVolume(host: string, instanceId: string, volumeId: string): Promise<void>;
  /**
   * Moves the guest's data from one volume to another at the same device (Nova's swap), then
   * unplugs the old one. Resolves once the guest uses the new volume.
   */
  swapVolume(host: string, instanceId: string, oldVolumeId: string, next: VolumeConnection): Promise<void>;
  /** Tells the guest a volume grew (block storage's `volume-extended` event). */
  extendVolume(host: string, instanceId: string, volumeId: string, sizeGb: number): Promise<void>;
  /** The guest's attached volumes, as the backend sees them (undefined without such a guest). */
  blockDevices(host: string, instanceId: string): GuestBlockDevice[] | undefined;
}

/** What `rescue` boots: the rescue image and the password the rescue system gets. */
export interface RescueRequest {
  imageId: string;
  adminPassword?: string;
}

/** Options a driver factory gets. */
export interface ComputeDriverOptions {
  vcpus: number;
  memoryMb: number;
  localGb: number;
  numaCells: number;
  spawnDelayMs: number;
  powerDelayMs: number;
  failSpawnHosts: readonly string[];
}

/** Builds a driver from its options. */
export type ComputeDriverFactory = (options: ComputeDriverOptions) => ComputeDriver;
