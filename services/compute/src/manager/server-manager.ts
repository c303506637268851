import { randomUUID } from 'node:crypto';
import type { RpcContext, TypedRpcClient } from '@nimbus/bus';
import { RemoteServiceError, type ServiceClients } from '@nimbus/clients';
import { nowTimestamp, toJson } from '@nimbus/db';
import type { FlavorRepository } from '../db/flavor-repository';
import type { InstanceActionRepository } from '../db/instance-action-repository';
import type { Instance, InstanceRepository, RequestedNetwork } from '../db/instance-repository';
import type { KeypairRepository } from '../db/keypair-repository';
import type { ServerGroup, ServerGroupRepository } from '../db/server-group-repository';
import type { computeRpc } from '../rpc/compute-rpc';
import type { conductorRpc } from '../rpc/conductor-rpc';
import type { BlockDeviceSetup } from './actions/block-device-setup';
import { releaseOffloaded } from './actions/shelve-actions';
import type { VolumeCleanup } from './actions/volume-cleanup';
import type { BlockDeviceRequest } from './block-device-requests';
import {
  AlreadyExists,
  FlavorNotFound,
  InstanceInvalidState,
  InstanceIsLocked,
  InstanceNotFound,
  InvalidInput,
  QuotaExceeded,
} from './compute-errors';
import { type DiskConfig, withDiskConfig } from './disk-config';
import { TaskState, VmState } from './vm-states';

/** Who asks, and the clients acting for them. */
export interface CallerContext {
  rpc: RpcContext;
  projectId: string;
  userId: string;
  isAdmin: boolean;
  clients: ServiceClients;
}

/** A create request after schema validation. */
export interface CreateServerInput {
  name: string;
  flavorRef: string;
  imageRef: string;
  networks: 'auto' | 'none' | RequestedNetwork[] | undefined;
  keyName?: string;
  userData?: string;
  metadata: Record<string, string>;
  availabilityZone?: string;
  securityGroups: string[];
  description?: string | null;
  hostname?: string;
  tags: string[];
  configDrive: boolean;
  minCount: number;
  maxCount: number;
  accessIpV4?: string;
  accessIpV6?: string;
  adminPass?: string;
  /** Block device mappings (v2, or the legacy list normalised); `imageRef` is '' when a volume boots. */
  blockDevices?: BlockDeviceRequest[];
  schedulerHints: Record<string, unknown>;
  /** `OS-DCF:diskConfig` as asked (MANUAL when not). */
  diskConfig?: DiskConfig;
}

/** Quota limits the create checks. */
export interface QuotaLimits {
  instances: number;
  cores: number;
  ram: number;
  metadataItems: number;
  serverGroupMembers: number;
}

/** Guest actions as the API names them, with the states each allows and the task it sets. */
const ACTIONS = {
  stop: { vm: [VmState.ACTIVE, VmState.ERROR], task: [null], set: TaskState.POWERING_OFF, agent: 'stop' },
  start: { vm: [VmState.STOPPED], task: [null], set: TaskState.POWERING_ON, agent: 'start' },
  reboot_soft: { vm: [VmState.ACTIVE], task: [null], set: TaskState.REBOOTING, agent: 'reboot_soft' },
  reboot_hard: {
    vm: [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED, VmState.ERROR],
    task: [null, TaskState.REBOOTING, 'reboot_pending', 'reboot_started'],
    set: TaskState.REBOOTING_HARD,
    agent: 'reboot_hard',
  },
  pause: { vm: [VmState.ACTIVE], task: [null], set: TaskState.PAUSING, agent: 'pause' },
  unpause: { vm: [VmState.PAUSED], task: [null], set: TaskState.UNPAUSING, agent: 'unpause' },
  suspend: { vm: [VmState.ACTIVE], task: [null], set: TaskState.SUSPENDING, agent: 'suspend' },
  resume: { vm: [VmState.SUSPENDED], task: [null], set: TaskState.RESUMING, agent: 'resume' },
} as const;

/** The guest actions the API forwards to the agent. */
export type GuestActionName = keyof typeof ACTIONS;

/** Names Nova records in instance actions. */
const ACTION_RECORD: Record<GuestActionName, string> = {
  stop: 'stop',
  start: 'start',
  reboot_soft: 'reboot',
  reboot_hard: 'reboot',
  pause: 'pause',
  unpause: 'unpause',
  suspend: 'suspend',
  resume: 'resume',
};

/**
 * The API side of servers: validates a create against flavors, images, networks and key pairs,
 * counts quotas, records the instances in BUILD/scheduling and casts them to the conductor;
 * deletes and guest actions move the state under a compare-and-set (two racing actions: one
 * wins, the other gets 409) and cast to the server's agent.
 */
export class ServerManager {
  constructor(
    private readonly deps: {
      instances: InstanceRepository;
      flavors: FlavorRepository;
      keypairs: KeypairRepository;
      serverGroups: ServerGroupRepository;
      actions: InstanceActionRepository;
      conductor: TypedRpcClient<typeof conductorRpc.methods>;
      compute: TypedRpcClient<typeof computeRpc.methods>;
      nodeRpcServer: (node: string) => Promise<string | undefined>;
      quota: (projectId: string) => Promise<QuotaLimits>;
      releaseAllocations: (instanceUuid: string) => Promise<void>;
      defaultZone: string;
      /** Checks and records block device mappings (volumes through block storage). */
      blockDevices?: BlockDeviceSetup;
      /** Frees the volumes of a server deleted without its agent. */
      volumeCleanup?: VolumeCleanup;
    },
  ) {}

  /** Creates `max_count` servers (at least `min_count` must fit the quota); answers them. */
  async create(caller: CallerContext, input: CreateServerInput): Promise<Instance[]> {
    const flavor = await this.deps.flavors.get(input.flavorRef);
    if (!flavor || flavor.disabled) throw new InvalidInput(`Flavor ${input.flavorRef} could not be found.`);
    if (
      !flavor.isPublic &&
      !caller.isAdmin &&
      !(await this.deps.flavors.projects(flavor.id)).includes(caller.projectId)
    ) {
      throw new InvalidInput(`Flavor ${input.flavorRef} could not be found.`);
    }
    const bdms = input.blockDevices ?? [];
    // A server booting from a volume has no image, and its root disk is not the flavor's.
    if (input.imageRef)
      await this.checkImage(
        caller,
        input.imageRef,
        bdms.some((b) => b.bootIndex === 0 && b.destinationType === 'volume') ? 0 : flavor.diskGb,
        flavor.ramMb,
      );
    if (bdms.length && this.deps.blockDevices)
      await this.deps.blockDevices.validate(caller, bdms, input.imageRef, flavor, input.maxCount);
    let keyData: string | null = null;
    if (input.keyName !== undefined) {
      const key = await this.deps.keypairs.get(caller.userId, input.keyName);
      if (!key) throw new InvalidInput('Invalid key_name provided.');
      keyData = key.publicKey;
    }
    const networks = await this.resolveNetworks(caller, input.networks, input.maxCount);
    await this.checkSecurityGroups(caller, input.securityGroups);
    const limits = await this.deps.quota(caller.projectId);
    if (limits.metadataItems >= 0 && Object.keys(input.metadata).length > limits.metadataItems) {
      throw new QuotaExceeded(
        `Quota exceeded, too many metadata items. Maximum number of metadata items exceeds ${limits.metadataItems}`,
      );
    }
    const group = await this.hintedGroup(caller, input.schedulerHints.group);
    const count = await this.checkQuota(
      caller.projectId,
      flavor.vcpus,
      flavor.ramMb,
      input.minCount,
      input.maxCount,
    );
    if (group && limits.serverGroupMembers >= 0 && group.members.length + count > limits.serverGroupMembers)
      throw new QuotaExceeded('Quota exceeded, too many servers in group');
    const reservationId = `r-${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const now = nowTimestamp();
    const snapshot = {
      flavorid: flavor.id,
      name: flavor.name,
      vcpus: flavor.vcpus,
      memory_mb: flavor.ramMb,
      root_gb: flavor.diskGb,
      ephemeral_gb: flavor.ephemeralGb,
      swap: flavor.swapMb,
      extra_specs: flavor.extraSpecs,
    };
    const rows = Array.from({ length: count }, (_, i) => {
      const name = count > 1 ? `${input.name}-${i + 1}` : input.name;
      return {
        uuid: randomUUID(),
        display_name: name,
        display_description: input.description ?? null,
        hostname: input.hostname ?? sanitizeHostname(name),
        project_id: caller.projectId,
        user_id: caller.userId,
        reservation_id: reservationId,
        launch_index: i,
        host: null,
        node: null,
        availability_zone: input.availabilityZone ?? null,
        flavor: toJson(snapshot),
        image_ref: input.imageRef,
        key_name: input.keyName ?? null,
        key_data: keyData,
        user_data: input.userData ?? null,
        metadata: toJson(input.metadata),
        system_metadata: toJson(withDiskConfig({}, input.diskConfig)),
        tags: toJson(input.tags),
        vm_state: VmState.BUILDING,
        task_state: TaskState.SCHEDULING,
        power_state: 0,
        locked_by: null,
        locked_reason: null,
        access_ip_v4: input.accessIpV4 ?? null,
        access_ip_v6: input.accessIpV6 ?? null,
        config_drive: input.configDrive ? 'True' : '',
        requested_networks: toJson(networks),
        security_groups: toJson(input.securityGroups),
        network_info: toJson([]),
        scheduler_hints: toJson(input.schedulerHints),
        fault: null,
        progress: 0,
        launched_at: null,
        terminated_at: null,
        created_at: now,
        updated_at: null,
        deleted_at: null,
        deleted: false,
      };
    });
    await this.deps.instances.createMany(rows);
    if (bdms.length && this.deps.blockDevices)
      await this.deps.blockDevices.record(
        caller,
        rows.map((r) => r.uuid),
        bdms,
        input.imageRef,
      );
    if (group)
      await this.deps.serverGroups.addMembers(
        group.uuid,
        rows.map((r) => r.uuid),
      );
    for (const r of rows) await this.deps.actions.start(r.uuid, 'create', caller.rpc);
    await this.deps.conductor.cast.build_instances(caller.rpc, { instance_uuids: rows.map((r) => r.uuid) });
    const created = await Promise.all(rows.map((r) => this.deps.instances.get(r.uuid)));
    return created.filter((i): i is Instance => i !== undefined);
  }

  /** The server group a `group` scheduler hint names (it must exist and be visible). */
  private async hintedGroup(caller: CallerContext, hint: unknown): Promise<ServerGroup | undefined> {
    if (hint === undefined) return undefined;
    const id = Array.isArray(hint) ? hint[0] : hint;
    if (
      typeof id !== 'string' ||
      !/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(id)
    )
      throw new InvalidInput(
        `Invalid input for field/attribute group. Value: ${String(id)}. '${String(id)}' is not a 'uuid'`,
      );
    const group = await this.deps.serverGroups.get(id);
    if (!group || (group.projectId !== caller.projectId && !caller.isAdmin))
      throw new InvalidInput(`Instance group ${id} could not be found.`);
    return group;
  }

  /** Deletes a server: at once when it never reached a host, else through its agent. */
  async delete(caller: CallerContext, instance: Instance, force = false): Promise<void> {
    this.checkLock(caller, instance);
    if (instance.taskState === TaskState.DELETING && !force) return;
    if (!instance.host) {
      const ok = await this.deps.instances.update(
        instance.uuid,
        { task_state: TaskState.DELETING },
        { taskState: [instance.taskState] },
      );
      if (!ok) throw new InstanceInvalidState('delete', instance.uuid, 'task_state', instance.taskState);
      // Still scheduling: the conductor sees `deleting` and cleans up when it gets there; a server
      // that never will (ERROR before a host) is gone now.
      if (instance.vmState === VmState.SHELVED_OFFLOADED) await releaseOffloaded(caller, instance);
      if (instance.taskState !== TaskState.SCHEDULING) await this.finishDelete(instance.uuid);
      await this.deps.actions.start(instance.uuid, 'delete', caller.rpc);
      return;
    }
    const ok = await this.deps.instances.update(
      instance.uuid,
      { task_state: TaskState.DELETING },
      { taskState: force ? [instance.taskState] : [instance.taskState] },
    );
    if (!ok) throw new InstanceInvalidState('delete', instance.uuid, 'task_state', instance.taskState);
    await this.deps.actions.start(instance.uuid, 'delete', caller.rpc);
    const server = await this.deps.nodeRpcServer(instance.node ?? instance.host);
    if (!server) {
      await this.finishDelete(instance.uuid);
      return;
    }
    await this.deps.compute.cast.terminate_instance(
      caller.rpc,
      {
        host: instance.node ?? instance.host,
        instance_uuid: instance.uuid,
        ports: instance.networkInfo.map((v) => ({
          port_id: v.port_id,
          created_by_compute: v.created_by_compute,
        })),
      },
      { server },
    );
  }

  /** Marks a server deleted and frees its allocations (no guest to remove). */
  async finishDelete(uuid: string): Promise<void> {
    const now = nowTimestamp();
    await this.deps.instances.update(uuid, {
      deleted: true,
      deleted_at: now,
      terminated_at: now,
      vm_state: VmState.DELETED,
      task_state: null,
    });
    await this.deps.volumeCleanup?.instanceDeleted(uuid);
    await this.deps.releaseAllocations(uuid);
  }

  /** Runs a guest action: checks lock and state, moves the task state, casts to the agent. */
  async guestAction(caller: CallerContext, instance: Instance, action: GuestActionName): Promise<void> {
    this.checkLock(caller, instance);
    const spec = ACTIONS[action];
    const apiName = action.startsWith('reboot') ? 'reboot' : action;
    if (!(spec.vm as readonly string[]).includes(instance.vmState))
      throw new InstanceInvalidState(apiName, instance.uuid, 'vm_state', instance.vmState);
    if (!(spec.task as readonly (string | null)[]).includes(instance.taskState))
      throw new InstanceInvalidState(apiName, instance.uuid, 'task_state', instance.taskState);
    const ok = await this.deps.instances.update(
      instance.uuid,
      { task_state: spec.set },
      { vmState: [...spec.vm], taskState: [...spec.task] },
    );
    if (!ok) {
      const now = await this.deps.instances.get(instance.uuid);
      throw new InstanceInvalidState(apiName, instance.uuid, 'task_state', now?.taskState ?? null);
    }
    await this.deps.actions.start(instance.uuid, ACTION_RECORD[action], caller.rpc);
    const host = instance.node ?? instance.host;
    const server = host ? await this.deps.nodeRpcServer(host) : undefined;
    if (!host || !server) {
      await this.deps.instances.update(instance.uuid, { task_state: null });
      throw new InstanceInvalidState(apiName, instance.uuid, 'vm_state', instance.vmState);
    }
    await this.deps.compute.cast.guest_action(
      caller.rpc,
      { host, instance_uuid: instance.uuid, action: spec.agent },
      { server },
    );
  }

  /** Locks a server (`locked_by` owner or admin, with an optional reason). */
  async lock(caller: CallerContext, instance: Instance, reason: string | undefined): Promise<void> {
    const lockedBy = caller.projectId === instance.projectId ? 'owner' : 'admin';
    await this.deps.instances.update(instance.uuid, { locked_by: lockedBy, locked_reason: reason ?? null });
    await this.deps.actions.start(instance.uuid, 'lock', caller.rpc);
  }

  /** Unlocks; an owner may not lift an admin's lock unless allowed (checked by the caller's policy). */
  async unlock(caller: CallerContext, instance: Instance): Promise<void> {
    await this.deps.instances.update(instance.uuid, { locked_by: null, locked_reason: null });
    await this.deps.actions.start(instance.uuid, 'unlock', caller.rpc);
  }

  /** The guest's console log (the last `length` lines when given). */
  async consoleOutput(
    caller: CallerContext,
    instance: Instance,
    length: number | undefined,
  ): Promise<string> {
    const host = instance.node ?? instance.host;
    if (instance.vmState !== VmState.ACTIVE || !host)
      throw new InstanceInvalidState('get_console_output', instance.uuid, 'vm_state', instance.vmState);
    const server = await this.deps.nodeRpcServer(host);
    if (!server) throw new InstanceNotFound(instance.uuid);
    const text = await this.deps.compute.call.get_console_output(
      caller.rpc,
      { host, instance_uuid: instance.uuid },
      { server },
    );
    if (length === undefined) return text;
    const lines = text.replace(/\n$/, '').split('\n');
    return lines.slice(Math.max(0, lines.length - length)).join('\n');
  }

  private checkLock(caller: CallerContext, instance: Instance): void {
    if (instance.lockedBy && !caller.isAdmin) throw new InstanceIsLocked(instance.uuid);
  }

  private async checkImage(
    caller: CallerContext,
    imageRef: string,
    diskGb: number,
    ramMb: number,
  ): Promise<void> {
    let image: Awaited<ReturnType<ServiceClients['image']['getImage']>>;
    try {
      image = await caller.clients.image.getImage(imageRef);
    } catch (err) {
      if (err instanceof RemoteServiceError && err.httpStatus === 404)
        throw new InvalidInput(`Image ${imageRef} could not be found.`);
      throw err;
    }
    if (image.status !== 'active') throw new InvalidInput(`Image ${imageRef} is not active.`);
    const size = Number(image.size ?? 0);
    if (diskGb > 0 && size > diskGb * 1024 ** 3) {
      throw new InvalidInput(
        `Flavor's disk is too small for requested image. Flavor disk is ${diskGb * 1024 ** 3} bytes, image is ${size} bytes.`,
      );
    }
    const minDisk = Number(image.min_disk ?? 0);
    if (diskGb > 0 && minDisk > diskGb)
      throw new InvalidInput(
        `Flavor's disk is too small for requested image. Flavor disk is ${diskGb * 1024 ** 3} bytes, minimum size is ${minDisk * 1024 ** 3} bytes.`,
      );
    const minRam = Number(image.min_ram ?? 0);
    if (minRam > ramMb) throw new InvalidInput("Flavor's memory is too small for requested image.");
  }

  private async resolveNetworks(
    caller: CallerContext,
    requested: CreateServerInput['networks'],
    maxCount: number,
  ): Promise<RequestedNetwork[]> {
    const net = caller.clients.network;
    if (requested === 'none') return [];
    if (requested === 'auto' || requested === undefined) {
      const visible = (await net.listNetworks()).filter(
        (n) => !n['router:external'] || n.project_id === caller.projectId,
      );
      const own = visible.filter((n) => n.project_id === caller.projectId);
      const candidates = own.length ? own : visible.filter((n) => n.shared);
      if (candidates.length === 0) {
        if (requested === 'auto')
          throw new InvalidInput(
            'Unable to automatically allocate a network for project ' + caller.projectId,
          );
        return [];
      }
      if (candidates.length > 1)
        throw new AlreadyExists('Multiple possible networks found, use a Network ID to be more specific.');
      return [{ network_id: candidates[0]!.id }];
    }
    const out: RequestedNetwork[] = [];
    for (const r of requested) {
      if (r.port_id) {
        if (maxCount > 1)
          throw new InvalidInput(
            'Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.',
          );
        let port: Awaited<ReturnType<typeof net.getPort>>;
        try {
          port = await net.getPort(r.port_id);
        } catch (err) {
          if (err instanceof RemoteServiceError && err.httpStatus === 404)
            throw new InvalidInput(`Port id ${r.port_id} could not be found.`);
          throw err;
        }
        if (port.device_id) throw new AlreadyExists(`Port ${r.port_id} is still in use.`);
        out.push({ ...r, network_id: port.network_id });
        continue;
      }
      try {
        await net.getNetwork(r.network_id!);
      } catch (err) {
        if (err instanceof RemoteServiceError && err.httpStatus === 404)
          throw new InvalidInput(`Network ${r.network_id} could not be found.`);
        throw err;
      }
      out.push(r);
    }
    return out;
  }

  /** Every named security group must exist for the project (Nova asks Neutron, 400 otherwise). */
  private async checkSecurityGroups(caller: CallerContext, names: readonly string[]): Promise<void> {
    const wanted = names.filter((n) => n !== 'default');
    if (!wanted.length) return;
    const groups = await caller.clients.network.listSecurityGroups({ project_id: caller.projectId });
    for (const n of wanted) {
      if (!groups.some((g) => g.name === n || g.id === n))
        throw new InvalidInput(`Security group ${n} not found for project ${caller.projectId}.`);
    }
  }

  private async checkQuota(
    projectId: string,
    vcpus: number,
    ramMb: number,
    minCount: number,
    maxCount: number,
  ): Promise<number> {
    const limits = await this.deps.quota(projectId);
    const used = await this.deps.instances.usage(projectId);
    const fits = (n: number) =>
      (limits.instances < 0 || used.instances + n <= limits.instances) &&
      (limits.cores < 0 || used.cores + n * vcpus <= limits.cores) &&
      (limits.ram < 0 || used.ram + n * ramMb <= limits.ram);
    for (let n = maxCount; n >= minCount; n--) if (fits(n)) return n;
    const over: string[] = [];
    const req: string[] = [];
    const usedS: string[] = [];
    const lim: string[] = [];
    const add = (name: string, want: number, u: number, l: number) => {
      if (l >= 0 && u + want > l) {
        over.push(name);
        req.push(String(want));
        usedS.push(String(u));
        lim.push(String(l));
      }
    };
    add('cores', minCount * vcpus, used.cores, limits.cores);
    add('instances', minCount, used.instances, limits.instances);
    add('ram', minCount * ramMb, used.ram, limits.ram);
    throw new QuotaExceeded(
      `Quota exceeded for ${over.join(', ')}: Requested ${req.join(', ')}, but already used ${usedS.join(', ')} of ${lim.join(', ')} ${over.join(', ')}`,
    );
  }

  /** The instance, or InstanceNotFound. */
  async get(uuid: string): Promise<Instance> {
    const i = await this.deps.instances.get(uuid);
    if (!i) throw new InstanceNotFound(uuid);
    return i;
  }

  /** FlavorNotFound for an unknown id (the API's flavor lookups). */
  async flavor(id: string) {
    const f = await this.deps.flavors.get(id);
    if (!f) throw new FlavorNotFound(id);
    return f;
  }
}

/** A hostname from a display name, as Nova sanitises it (RFC 952 characters, at most 63). */
export function sanitizeHostname(name: string): string {
  const h = name
    .toLowerCase()
    .replace(/[ _]/g, '-')
    .replace(/[^\w.-]+/g, '')
    .replace(/_/g, '')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 63)
    .replace(/[.-]+$/g, '');
  return h || 'server';
}
