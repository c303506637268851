import type { RpcArgs, RpcContext, TypedRpcClient } from '@nimbus/bus';
import type { ImageClient, NetworkClient, PortDocument } from '@nimbus/clients';
import { nowTimestamp } from '@nimbus/db';
import type { Logger } from '@nimbus/logging';
import type { Instance, Vif } from '../db/instance-repository';
import { type ComputeDriver, DriverError, PowerState, type SpawnRequest } from '../drivers/driver-api';
import { InstanceNotFound } from '../manager/compute-errors';
import type { ComputeNotifier } from '../manager/compute-notifier';
import { TaskState, VmState } from '../manager/vm-states';
import type { computeRpc } from '../rpc/compute-rpc';
import type { conductorRpc } from '../rpc/conductor-rpc';
import { SnapshotImages } from './snapshot-images';
import type { BuildVolume, VolumeAgent } from './volume-agent';

type M = (typeof computeRpc)['methods'];
type BuildSpec = RpcArgs<M['build_and_run_instance']>;

/** What each guest action does: driver call, resulting states, notification name. */
const GUEST_ACTIONS = {
  stop: { run: 'powerOff', vm: VmState.STOPPED, power: PowerState.SHUTDOWN, event: 'power_off' },
  start: { run: 'powerOn', vm: VmState.ACTIVE, power: PowerState.RUNNING, event: 'power_on' },
  reboot_soft: { run: 'rebootSoft', vm: VmState.ACTIVE, power: PowerState.RUNNING, event: 'reboot' },
  reboot_hard: { run: 'rebootHard', vm: VmState.ACTIVE, power: PowerState.RUNNING, event: 'reboot' },
  pause: { run: 'pause', vm: VmState.PAUSED, power: PowerState.PAUSED, event: 'pause' },
  unpause: { run: 'unpause', vm: VmState.ACTIVE, power: PowerState.RUNNING, event: 'unpause' },
  suspend: { run: 'suspend', vm: VmState.SUSPENDED, power: PowerState.SUSPENDED, event: 'suspend' },
  resume: { run: 'resume', vm: VmState.ACTIVE, power: PowerState.RUNNING, event: 'resume' },
} as const;

/**
 * The compute agent of one process (nova-compute), for each simulated host it runs: builds
 * (ports created and bound through the network API, then the driver's spawn), deletes (guest
 * destroyed, ports deleted or unbound), guest actions. Operations on one instance run one after
 * another; state goes to the database through the conductor only.
 */
export class AgentManager {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly images: SnapshotImages;

  constructor(
    private readonly deps: {
      hosts: ReadonlySet<string>;
      driver: ComputeDriver;
      network: () => NetworkClient;
      /** The image API with the service's credentials (snapshot uploads). */
      image?: () => ImageClient;
      conductor: TypedRpcClient<(typeof conductorRpc)['methods']>;
      notifier: ComputeNotifier;
      logger: Logger;
      /** The volume side (attachments, a build's volumes); without it, builds with volumes fail. */
      volumes?: VolumeAgent;
    },
  ) {
    this.images = new SnapshotImages(deps.image, deps.logger);
  }

  /** Runs `fn` after every earlier operation on the same instance (the volume agent queues here too). */
  serial<T>(uuid: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(uuid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(uuid, tail);
    void tail.then(() => {
      if (this.queues.get(uuid) === tail) this.queues.delete(uuid);
    });
    return next;
  }

  private checkHost(host: string): void {
    if (!this.deps.hosts.has(host)) throw new DriverError(`Host ${host} is not served by this agent`, true);
  }

  /** Writes an instance's state through the conductor. */
  private updater(ctx: RpcContext, uuid: string) {
    return (updates: RpcArgs<(typeof conductorRpc)['methods']['instance_update']>['updates']) =>
      this.deps.conductor.call.instance_update(ctx, { instance_uuid: uuid, updates });
  }

  buildAndRun(ctx: RpcContext, spec: BuildSpec): Promise<void> {
    return this.serial(spec.instance_uuid, () => this.build(ctx, spec));
  }

  private async build(ctx: RpcContext, spec: BuildSpec): Promise<void> {
    const update = (updates: RpcArgs<(typeof conductorRpc)['methods']['instance_update']>['updates']) =>
      this.deps.conductor.call.instance_update(ctx, { instance_uuid: spec.instance_uuid, updates });
    const view = instanceView(spec);
    await this.deps.notifier.instance(ctx, 'create', 'start', view);
    const vifs: Vif[] = [];
    try {
      this.checkHost(spec.host);
      await update({ task_state: TaskState.NETWORKING });
      const net = this.deps.network();
      const owner = `compute:${spec.availability_zone}`;
      const sgIds = await this.securityGroupIds(net, spec);
      const names = new Map<string, string>();
      for (const r of spec.networks) {
        let port: PortDocument;
        if (r.port_id) {
          port = await net.bindPort(r.port_id, {
            deviceId: spec.instance_uuid,
            deviceOwner: owner,
            hostId: spec.host,
          });
        } else {
          port = await net.createPort({
            network_id: r.network_id,
            project_id: spec.project_id,
            device_id: spec.instance_uuid,
            device_owner: owner,
            'binding:host_id': spec.host,
            ...(r.fixed_ip ? { fixed_ips: [{ ip_address: r.fixed_ip }] } : {}),
            ...(sgIds ? { security_groups: sgIds } : {}),
          });
        }
        if (!names.has(port.network_id))
          names.set(port.network_id, (await net.getNetwork(port.network_id)).name);
        vifs.push({
          port_id: port.id,
          network_id: port.network_id,
          network_name: names.get(port.network_id) ?? '',
          mac_address: port.mac_address,
          fixed_ips: port.fixed_ips.map((ip) => ({
            ip_address: ip.ip_address,
            subnet_id: ip.subnet_id,
            version: ip.ip_address.includes(':') ? 6 : 4,
          })),
          created_by_compute: !r.port_id,
          ...(r.tag ? { tag: r.tag } : {}),
        });
      }
      let volumes: BuildVolume[] = [];
      if (spec.block_devices?.some((b) => b.destination_type === 'volume')) {
        if (!this.deps.volumes) throw new DriverError('This agent cannot attach volumes', false);
        await update({ task_state: TaskState.BLOCK_DEVICE_MAPPING, network_info: vifs });
        volumes = await this.deps.volumes.prepareBuild(ctx, spec);
      }
      await update({ task_state: TaskState.SPAWNING, network_info: vifs });
      const guest = await this.deps.driver.spawn({
        ...spawnRequest(
          spec.instance_uuid,
          spec.host,
          spec.name,
          spec.flavor,
          spec.image_ref,
          vifs,
          spec.user_data,
        ),
        ...(volumes.length ? { blockDevices: volumes } : {}),
      });
      if (volumes.length) await this.deps.volumes!.completeBuild(ctx, spec, volumes);
      const launchedAt = nowTimestamp();
      await update({
        vm_state: VmState.ACTIVE,
        task_state: null,
        power_state: guest.powerState,
        launched_at: launchedAt,
      });
      await this.deps.conductor.call.build_result(ctx, {
        instance_uuid: spec.instance_uuid,
        host: spec.host,
        ok: true,
        attempt: spec.attempt,
      });
      await this.deps.notifier.instance(ctx, 'create', 'end', {
        ...view,
        vmState: VmState.ACTIVE,
        taskState: null,
        powerState: guest.powerState,
        networkInfo: vifs,
        launchedAt,
      });
    } catch (err) {
      const message = (err as Error).message;
      this.deps.logger.warn({ err, instance: spec.instance_uuid, host: spec.host }, 'compute: build failed');
      await this.releasePorts(
        vifs.map((v) => ({ port_id: v.port_id, created_by_compute: v.created_by_compute })),
      );
      await this.deps.driver.destroy(spec.host, spec.instance_uuid).catch(() => undefined);
      const retryable = err instanceof DriverError ? err.retryable : true;
      await this.deps.conductor.call.build_result(ctx, {
        instance_uuid: spec.instance_uuid,
        host: spec.host,
        ok: false,
        message,
        retryable,
        attempt: spec.attempt,
      });
    }
  }

  private async securityGroupIds(net: NetworkClient, spec: BuildSpec): Promise<string[] | undefined> {
    const names = spec.security_groups.filter((n) => n !== 'default');
    if (names.length === 0) return undefined;
    const groups = await net.listSecurityGroups({ project_id: spec.project_id });
    return spec.security_groups.map((n) => groups.find((g) => g.name === n || g.id === n)?.id ?? n);
  }

  private async releasePorts(
    ports: readonly { port_id: string; created_by_compute: boolean }[],
  ): Promise<void> {
    const net = this.deps.network();
    for (const p of ports) {
      try {
        if (p.created_by_compute) await net.deletePort(p.port_id);
        else await net.unbindPort(p.port_id);
      } catch (err) {
        this.deps.logger.warn({ err, port: p.port_id }, 'compute: could not release a port');
      }
    }
  }

  terminate(ctx: RpcContext, args: RpcArgs<M['terminate_instance']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      await this.deps.driver.destroy(args.host, args.instance_uuid);
      await this.releasePorts(args.ports);
      // Ports made for this server that the cache missed (a build cut short) go too.
      try {
        const known = new Set(args.ports.map((p) => p.port_id));
        const strays = (await this.deps.network().listPorts({ device_id: args.instance_uuid })).filter(
          (p) => !known.has(p.id) && p.device_owner.startsWith('compute:'),
        );
        await this.releasePorts(strays.map((p) => ({ port_id: p.id, created_by_compute: true })));
      } catch (err) {
        this.deps.logger.warn(
          { err, instance: args.instance_uuid },
          'compute: could not list the ports of a deleted server',
        );
      }
      await this.deps.conductor.call.instance_destroyed(ctx, { instance_uuid: args.instance_uuid });
    });
  }

  guestAction(ctx: RpcContext, args: RpcArgs<M['guest_action']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      const a = GUEST_ACTIONS[args.action];
      const d = this.deps.driver;
      try {
        this.checkHost(args.host);
        switch (a.run) {
          case 'rebootSoft':
            await d.reboot(args.host, args.instance_uuid, false);
            break;
          case 'rebootHard':
            await d.reboot(args.host, args.instance_uuid, true);
            break;
          default:
            await d[a.run](args.host, args.instance_uuid);
        }
        await this.deps.conductor.call.instance_update(ctx, {
          instance_uuid: args.instance_uuid,
          updates: { vm_state: a.vm, power_state: a.power, task_state: null },
        });
      } catch (err) {
        this.deps.logger.warn(
          { err, instance: args.instance_uuid, action: args.action },
          'compute: guest action failed',
        );
        const power = d.powerState(args.host, args.instance_uuid);
        await this.deps.conductor.call.instance_update(ctx, {
          instance_uuid: args.instance_uuid,
          updates: { task_state: null, ...(power !== undefined ? { power_state: power } : {}) },
        });
      }
    });
  }

  /** Sets the admin password in the guest; the task state clears either way. */
  setAdminPassword(ctx: RpcContext, args: RpcArgs<M['set_admin_password']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      try {
        this.checkHost(args.host);
        await this.deps.driver.setAdminPassword(args.host, args.instance_uuid, args.password);
      } catch (err) {
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: set admin password failed');
      }
      await this.deps.conductor.call.instance_update(ctx, {
        instance_uuid: args.instance_uuid,
        updates: { task_state: null },
      });
    });
  }

  /** Injects an NMI into the guest (the guest decides what a crash dump is). */
  triggerCrashDump(args: RpcArgs<M['trigger_crash_dump']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      this.checkHost(args.host);
      await this.deps.driver.injectNmi(args.host, args.instance_uuid);
    });
  }

  /** Rebuilds a guest in place: destroyed and spawned again from the new image. */
  rebuild(ctx: RpcContext, args: RpcArgs<M['rebuild_instance']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      const update = this.updater(ctx, args.instance_uuid);
      const d = this.deps.driver;
      try {
        this.checkHost(args.host);
        await d.destroy(args.host, args.instance_uuid);
        await update({ task_state: TaskState.REBUILD_SPAWNING });
        const f = args.flavor;
        await d.spawn(
          spawnRequest(
            args.instance_uuid,
            args.host,
            args.name,
            f,
            args.image_ref,
            args.vifs,
            args.user_data,
          ),
        );
        if (!args.power_on) await d.powerOff(args.host, args.instance_uuid);
        await update({
          vm_state: args.power_on ? VmState.ACTIVE : VmState.STOPPED,
          task_state: null,
          power_state: args.power_on ? PowerState.RUNNING : PowerState.SHUTDOWN,
          launched_at: nowTimestamp(),
        });
      } catch (err) {
        const message = (err as Error).message;
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: rebuild failed');
        await update({
          vm_state: VmState.ERROR,
          task_state: null,
          fault: { code: 500, message, details: '' },
        });
      }
    });
  }

  /** A move's source side: powers the guest off and keeps it (a revert starts it again). */
  movePowerOff(args: RpcArgs<M['move_power_off']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      this.checkHost(args.host);
      const d = this.deps.driver;
      const power = d.powerState(args.host, args.instance_uuid);
      if (power !== undefined && power !== PowerState.SHUTDOWN)
        await d.powerOff(args.host, args.instance_uuid);
    });
  }

  /**
   * A move's destination (or a revert's source): binds the ports to `host`, starts the guest
   * there with the given flavor and leaves it running or powered off as asked.
   */
  moveSpawn(args: RpcArgs<M['move_spawn']>): Promise<number> {
    return this.serial(args.instance_uuid, async () => {
      this.checkHost(args.host);
      const net = this.deps.network();
      for (const v of args.vifs) {
        await net.bindPort(v.port_id, {
          deviceId: args.instance_uuid,
          deviceOwner: `compute:${args.availability_zone}`,
          hostId: args.host,
        });
      }
      const d = this.deps.driver;
      const f = args.flavor;
      const guest = await d.spawn(
        spawnRequest(args.instance_uuid, args.host, args.name, f, args.image_ref, args.vifs),
      );
      let power: number = guest.powerState;
      if (args.power_on && power !== PowerState.RUNNING) {
        await d.powerOn(args.host, args.instance_uuid);
        power = PowerState.RUNNING;
      } else if (!args.power_on && power !== PowerState.SHUTDOWN) {
        await d.powerOff(args.host, args.instance_uuid);
        power = PowerState.SHUTDOWN;
      }
      if (args.pause && power === PowerState.RUNNING) {
        await d.pause(args.host, args.instance_uuid);
        power = PowerState.PAUSED;
      }
      return power;
    });
  }

  /** Removes the guest a move left on `host`. */
  moveDropGuest(args: RpcArgs<M['move_drop_guest']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      this.checkHost(args.host);
      await this.deps.driver.destroy(args.host, args.instance_uuid);
    });
  }

  /** Boots the guest into rescue; RESCUE on success, else back as it was with a fault. */
  rescue(ctx: RpcContext, args: RpcArgs<M['rescue_instance']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      const update = this.updater(ctx, args.instance_uuid);
      try {
        this.checkHost(args.host);
        await this.deps.driver.rescue(args.host, args.instance_uuid, {
          imageId: args.rescue_image_ref,
          ...(args.admin_password !== undefined ? { adminPassword: args.admin_password } : {}),
        });
        await update({ vm_state: VmState.RESCUED, task_state: null, power_state: PowerState.RUNNING });
      } catch (err) {
        const message = (err as Error).message;
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: rescue failed');
        await update({ task_state: null, fault: { code: 500, message, details: '' } });
      }
    });
  }

  /** Boots a rescued guest from its own disk again (ACTIVE). */
  unrescue(ctx: RpcContext, args: RpcArgs<M['unrescue_instance']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      const update = this.updater(ctx, args.instance_uuid);
      try {
        this.checkHost(args.host);
        await this.deps.driver.unrescue(args.host, args.instance_uuid);
        await update({ vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING });
      } catch (err) {
        const message = (err as Error).message;
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: unrescue failed');
        await update({ task_state: null, fault: { code: 500, message, details: '' } });
      }
    });
  }

  /**
   * Copies the guest's root disk into a queued image (createImage, createBackup, shelve). A shelve
   * powers the guest off first and ends SHELVED, or goes on to offload it when asked.
   */
  snapshot(ctx: RpcContext, args: RpcArgs<M['snapshot_instance']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      const update = this.updater(ctx, args.instance_uuid);
      const d = this.deps.driver;
      const shelve = args.purpose === 'shelve';
      try {
        this.checkHost(args.host);
        if (shelve && d.powerState(args.host, args.instance_uuid) !== PowerState.SHUTDOWN)
          await d.powerOff(args.host, args.instance_uuid);
        await update({
          task_state: shelve ? TaskState.SHELVING_IMAGE_UPLOADING : TaskState.IMAGE_UPLOADING,
          ...(shelve ? { power_state: PowerState.SHUTDOWN } : {}),
        });
        const data = await d.snapshot(args.host, args.instance_uuid);
        await this.images.upload(args.image_id, data);
        if (!shelve) {
          await update({ task_state: null });
          if (args.purpose === 'backup' && args.rotation !== undefined)
            await this.images.rotateBackups(
              args.instance_uuid,
              args.image_id,
              args.backup_type ?? '',
              args.rotation,
            );
          return;
        }
        if (!args.offload) {
          await update({ vm_state: VmState.SHELVED, task_state: null, power_state: PowerState.SHUTDOWN });
          return;
        }
        await update({ vm_state: VmState.SHELVED, task_state: TaskState.SHELVING_OFFLOADING });
        await this.offloadGuest(args.host, args.instance_uuid);
        await this.deps.conductor.call.instance_offloaded(ctx, { instance_uuid: args.instance_uuid });
      } catch (err) {
        const message = (err as Error).message;
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: snapshot failed');
        const power = d.powerState(args.host, args.instance_uuid);
        await update({
          task_state: null,
          ...(power !== undefined ? { power_state: power } : {}),
          fault: { code: 500, message, details: '' },
        });
      }
    });
  }

  /** `shelveOffload` of a SHELVED server: the guest goes, the host's claim is given back. */
  offload(ctx: RpcContext, args: RpcArgs<M['shelve_offload_instance']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      try {
        this.checkHost(args.host);
        await this.offloadGuest(args.host, args.instance_uuid);
        await this.deps.conductor.call.instance_offloaded(ctx, { instance_uuid: args.instance_uuid });
      } catch (err) {
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: shelve offload failed');
        await this.deps.conductor.call.instance_update(ctx, {
          instance_uuid: args.instance_uuid,
          updates: { task_state: null },
        });
      }
    });
  }

  /** `unshelve` of a SHELVED (not offloaded) server: the guest powers on again. */
  unshelveInPlace(ctx: RpcContext, args: RpcArgs<M['unshelve_in_place']>): Promise<void> {
    return this.serial(args.instance_uuid, async () => {
      const update = this.updater(ctx, args.instance_uuid);
      try {
        this.checkHost(args.host);
        await this.deps.driver.powerOn(args.host, args.instance_uuid);
        await update({ vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING });
        await this.images.drop(args.image_id);
      } catch (err) {
        const message = (err as Error).message;
        this.deps.logger.warn({ err, instance: args.instance_uuid }, 'compute: unshelve failed');
        await update({ task_state: null, fault: { code: 500, message, details: '' } });
      }
    });
  }

  /** The guest destroyed and its ports' host binding cleared (they stay the server's). */
  private async offloadGuest(host: string, uuid: string): Promise<void> {
    await this.deps.driver.destroy(host, uuid);
    const net = this.deps.network();
    for (const p of await net.listPorts({ device_id: uuid }))
      await net.updatePort(p.id, { 'binding:host_id': '' });
  }

  async consoleOutput(args: RpcArgs<M['get_console_output']>): Promise<string> {
    if (this.deps.driver.powerState(args.host, args.instance_uuid) === undefined)
      throw new InstanceNotFound(args.instance_uuid);
    return this.deps.driver.consoleOutput(args.host, args.instance_uuid);
  }
}

/** The instance as a build spec describes it (for notifications; the agent reads no database). */
function instanceView(spec: BuildSpec): Instance {
  return {
    uuid: spec.instance_uuid,
    name: spec.name,
    description: null,
    hostname: spec.hostname,
    projectId: spec.project_id,
    userId: spec.user_id,
    reservationId: '',
    launchIndex: 0,
    host: spec.host,
    node: spec.node,
    availabilityZone: spec.availability_zone,
    flavor: spec.flavor,
    imageRef: spec.image_ref,
    keyName: null,
    keyData: null,
    userData: null,
    metadata: {},
    systemMetadata: {},
    tags: [],
    vmState: VmState.BUILDING,
    taskState: TaskState.SPAWNING,
    powerState: 0,
    lockedBy: null,
    lockedReason: null,
    accessIpV4: null,
    accessIpV6: null,
    configDrive: '',
    requestedNetworks: spec.networks,
    securityGroups: spec.security_groups,
    networkInfo: [],
    schedulerHints: {},
    fault: null,
    progress: 0,
    launchedAt: null,
    terminatedAt: null,
    createdAt: nowTimestamp(),
    updatedAt: null,
    deletedAt: null,
    deleted: false,
  };
}

/** What the driver's spawn needs, from a flavor and VIFs as the RPC messages carry them. */
function spawnRequest(
  instanceId: string,
  host: string,
  name: string,
  flavor: { vcpus: number; memory_mb: number; root_gb: number; ephemeral_gb: number; swap: number },
  imageId: string,
  vifs: readonly {
    port_id: string;
    mac_address: string;
    network_id: string;
    fixed_ips: { ip_address: string }[];
  }[],
  userData?: string,
): SpawnRequest {
  return {
    instanceId,
    host,
    name,
    flavor: {
      vcpus: flavor.vcpus,
      memoryMb: flavor.memory_mb,
      rootGb: flavor.root_gb,
      ephemeralGb: flavor.ephemeral_gb,
      swapMb: flavor.swap,
    },
    imageId,
    vifs: vifs.map((v) => ({
      portId: v.port_id,
      macAddress: v.mac_address,
      networkId: v.network_id,
      fixedIps: v.fixed_ips.map((ip) => ip.ip_address),
    })),
    ...(userData ? { userData } : {}),
  };
}
