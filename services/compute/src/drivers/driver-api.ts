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
