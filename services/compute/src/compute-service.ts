import {
  messagingDefaultOptions,
  notificationOptions,
  notifierOptionsFromConfig,
  type RpcContext,
  typedRpcClient,
} from '@nimbus/bus';
import { RemoteServiceError } from '@nimbus/clients';
import type { Database } from '@nimbus/db';
import { novaFaults, novaValidationMessage } from '@nimbus/http';
import { loadServicePolicy, osloPolicyOptions } from '@nimbus/policy';
import { defineService, type RoleContext, type StartedRole } from '@nimbus/service';
import { AgentManager } from './agent/agent-manager';
import { ResourceTracker } from './agent/resource-tracker';
import { VolumeAgent } from './agent/volume-agent';
import { computeMicroversions } from './api/compute-microversions';
import { computePolicies } from './api/compute-policies';
import type { ComputeServices } from './api/compute-services';
import { computeRoutes } from './api/routes';
import { BuildWatchdog } from './conductor/build-watchdog';
import { ConductorManager } from './conductor/conductor-manager';
import { LiveMigrateConductor } from './conductor/live-migrate-conductor';
import { MoveConductor } from './conductor/move-conductor';
import { ShelveConductor } from './conductor/shelve-conductor';
import { computeOptions, computeQuotaOptions, fakeDriverOptions, schedulerOptions } from './conf/options';
import { AggregateRepository } from './db/aggregate-repository';
import { BlockDeviceMappingRepository } from './db/block-device-mapping-repository';
import type { ComputeTables } from './db/compute-tables';
import { FlavorRepository } from './db/flavor-repository';
import { HostRepository } from './db/host-repository';
import { InstanceActionRepository } from './db/instance-action-repository';
import { InstanceRepository } from './db/instance-repository';
import { KeypairRepository } from './db/keypair-repository';
import { MigrationRepository } from './db/migration-repository';
import { computeMigrations } from './db/migrations/index';
import { ServerGroupRepository } from './db/server-group-repository';
import { UsageRepository } from './db/usage-repository';
import { computeDrivers } from './drivers/registry';
import { BlockDeviceSetup } from './manager/actions/block-device-setup';
import { GuestExtraActions } from './manager/actions/guest-extra-actions';
import { LiveMigrateActions } from './manager/actions/live-migrate-actions';
import { RebuildActions } from './manager/actions/rebuild-action';
import { RescueActions } from './manager/actions/rescue-actions';
import { ResizeActions } from './manager/actions/resize-actions';
import { ShelveActions } from './manager/actions/shelve-actions';
import { SnapshotActions } from './manager/actions/snapshot-actions';
import { VolumeAttachActions } from './manager/actions/volume-attach-actions';
import { VolumeCleanup } from './manager/actions/volume-cleanup';
import { ComputeNotifier } from './manager/compute-notifier';
import { QuotaManager } from './manager/quota-manager';
import { ServerManager } from './manager/server-manager';
import { metadataRoutes } from './metadata/metadata-routes';
import { computeRpc } from './rpc/compute-rpc';
import { conductorRpc } from './rpc/conductor-rpc';
import { rpcEndpoints } from './rpc/rpc-endpoints';
import { schedulerRpc } from './rpc/scheduler-rpc';
import { SchedulerManager } from './scheduler/scheduler-manager';

/** What compute's roles share in one process: the repositories over its database. */
interface ComputeShared {
  aggregates: AggregateRepository;
  instances: InstanceRepository;
  flavors: FlavorRepository;
  keypairs: KeypairRepository;
  serverGroups: ServerGroupRepository;
  actions: InstanceActionRepository;
  hosts: HostRepository;
  migrations: MigrationRepository;
  bdms: BlockDeviceMappingRepository;
}

type Ctx = RoleContext<ComputeShared>;

/** Nova's notifier for a role: publisher `nova-<role>:<host>` on the `nova` control exchange. */
function notifierFor(ctx: Ctx, binary: string): ComputeNotifier {
  const notifier = ctx.bus.notifier(
    `${binary}:${ctx.host}`,
    notifierOptionsFromConfig(
      ctx.config.group(notificationOptions),
      ctx.config.group(messagingDefaultOptions).control_exchange,
      'nova',
    ),
  );
  return new ComputeNotifier(notifier, ctx.logger);
}

/** Frees an instance's allocations in placement; none left is fine. */
function allocationReleaser(ctx: Ctx): (uuid: string) => Promise<void> {
  return async (uuid) => {
    try {
      await ctx.clients.placement.deleteAllocations(uuid);
    } catch (err) {
      if (!(err instanceof RemoteServiceError && err.httpStatus === 404))
        ctx.logger.warn({ err, instance: uuid }, 'compute: could not free allocations');
    }
  };
}

/** What a deleted server leaves to block storage, freed as the compute service user. */
function volumeCleanup(ctx: Ctx): VolumeCleanup {
  return new VolumeCleanup({
    bdms: ctx.shared.bdms,
    instances: ctx.shared.instances,
    clients: () => ctx.clients,
    logger: ctx.logger,
  });
}

/** The heartbeat task of a control-plane role (`nova-conductor`, `nova-scheduler` services). */
function heartbeat(ctx: Ctx, binary: string, topic: string): (signal: AbortSignal) => Promise<void> {
  return () => ctx.shared.hosts.heartbeat(binary, ctx.host, topic);
}

async function startApi(ctx: Ctx): Promise<StartedRole> {
  const o = ctx.config.group(computeOptions);
  const q = ctx.config.group(computeQuotaOptions);
  const s = ctx.shared;
  const policy = loadServicePolicy({
    serviceType: 'compute',
    defaults: computePolicies,
    config: ctx.config,
    dataDir: ctx.dataDir,
    logger: ctx.logger,
  });
  const compute = typedRpcClient(ctx.bus, computeRpc);
  const quotas = new QuotaManager(
    ctx.db as Database<ComputeTables>,
    q,
    s.instances,
    s.keypairs,
    s.serverGroups,
  );
  const servers = new ServerManager({
    instances: s.instances,
    flavors: s.flavors,
    keypairs: s.keypairs,
    serverGroups: s.serverGroups,
    actions: s.actions,
    conductor: typedRpcClient(ctx.bus, conductorRpc),
    compute,
    nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
    quota: async (projectId) => {
      const l = await quotas.limits(projectId);
      return {
        instances: l.instances,
        cores: l.cores,
        ram: l.ram,
        metadataItems: l.metadata_items,
        serverGroupMembers: l.server_group_members,
      };
    },
    releaseAllocations: allocationReleaser(ctx),
    defaultZone: o.default_availability_zone,
    blockDevices: new BlockDeviceSetup({ bdms: s.bdms }),
    volumeCleanup: volumeCleanup(ctx),
  });
  const moves = new ResizeActions({
    instances: s.instances,
    flavors: s.flavors,
    migrations: s.migrations,
    actions: s.actions,
    hosts: s.hosts,
    conductor: typedRpcClient(ctx.bus, conductorRpc),
    quota: (projectId) => quotas.limits(projectId),
  });
  const services: ComputeServices = {
    ...s,
    usage: new UsageRepository(ctx.db as Database<ComputeTables>),
    servers,
    moves,
    guestExtras: new GuestExtraActions({
      instances: s.instances,
      actions: s.actions,
      compute,
      nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
    }),
    rebuilds: new RebuildActions({
      instances: s.instances,
      keypairs: s.keypairs,
      actions: s.actions,
      compute,
      nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
    }),
    volumeAttachments: new VolumeAttachActions({
      bdms: s.bdms,
      actions: s.actions,
      compute,
      nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
    }),
    liveMigrations: new LiveMigrateActions({
      instances: s.instances,
      migrations: s.migrations,
      actions: s.actions,
      hosts: s.hosts,
      conductor: typedRpcClient(ctx.bus, conductorRpc),
    }),
    rescues: new RescueActions({
      instances: s.instances,
      actions: s.actions,
      compute,
      nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
    }),
    snapshots: new SnapshotActions({
      instances: s.instances,
      actions: s.actions,
      compute,
      nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
      metadataItemsLimit: async (projectId) => (await quotas.limits(projectId)).metadata_items,
    }),
    shelves: new ShelveActions({
      instances: s.instances,
      actions: s.actions,
      hosts: s.hosts,
      zones: () => s.aggregates.zones(),
      compute,
      conductor: typedRpcClient(ctx.bus, conductorRpc),
      nodeRpcServer: async (node) => (await s.hosts.nodeByHost(node))?.rpcServer,
      offloadSeconds: o.shelved_offload_time,
      defaultZone: o.default_availability_zone,
    }),
    quotas,
    compute,
    clients: ctx.clients,
    options: {
      maxLimit: o.max_limit,
      defaultZone: o.default_availability_zone,
      serviceDownSeconds: o.service_down_time,
    },
  };
  return {
    async stop() {
      policy.close();
    },
    http: {
      routes: computeRoutes,
      faults: novaFaults,
      microversions: computeMicroversions,
      requestIdHeaders: ['x-compute-request-id', 'x-openstack-request-id'],
      validationMessage: novaValidationMessage,
      policy,
      services,
    },
  };
}

async function startConductor(ctx: Ctx): Promise<StartedRole> {
  const o = ctx.config.group(computeOptions);
  const conductor = new ConductorManager({
    instances: ctx.shared.instances,
    serverGroups: ctx.shared.serverGroups,
    hosts: ctx.shared.hosts,
    zones: () => ctx.shared.aggregates.zones(),
    actions: ctx.shared.actions,
    scheduler: typedRpcClient(ctx.bus, schedulerRpc),
    compute: typedRpcClient(ctx.bus, computeRpc),
    notifier: notifierFor(ctx, 'nova-conductor'),
    releaseAllocations: allocationReleaser(ctx),
    logger: ctx.logger,
    maxAttempts: ctx.config.group(schedulerOptions).max_attempts,
    defaultZone: o.default_availability_zone,
    bdms: ctx.shared.bdms,
  });
  const volumesOfDeleted = volumeCleanup(ctx);
  const moves = new MoveConductor({
    instances: ctx.shared.instances,
    migrations: ctx.shared.migrations,
    actions: ctx.shared.actions,
    hosts: ctx.shared.hosts,
    zones: () => ctx.shared.aggregates.zones(),
    scheduler: typedRpcClient(ctx.bus, schedulerRpc),
    compute: typedRpcClient(ctx.bus, computeRpc),
    placement: () => ctx.clients.placement,
    notifier: notifierFor(ctx, 'nova-conductor'),
    logger: ctx.logger,
    defaultZone: o.default_availability_zone,
    allowResizeToSameHost: o.allow_resize_to_same_host,
  });
  const liveMigrations = new LiveMigrateConductor({
    instances: ctx.shared.instances,
    migrations: ctx.shared.migrations,
    actions: ctx.shared.actions,
    hosts: ctx.shared.hosts,
    zones: () => ctx.shared.aggregates.zones(),
    scheduler: typedRpcClient(ctx.bus, schedulerRpc),
    compute: typedRpcClient(ctx.bus, computeRpc),
    placement: () => ctx.clients.placement,
    notifier: notifierFor(ctx, 'nova-conductor'),
    logger: ctx.logger,
    defaultZone: o.default_availability_zone,
  });
  const shelves = new ShelveConductor({
    instances: ctx.shared.instances,
    actions: ctx.shared.actions,
    zones: () => ctx.shared.aggregates.zones(),
    scheduler: typedRpcClient(ctx.bus, schedulerRpc),
    compute: typedRpcClient(ctx.bus, computeRpc),
    image: () => ctx.clients.image,
    releaseAllocations: allocationReleaser(ctx),
    nodeRpcServer: async (node) => (await ctx.shared.hosts.nodeByHost(node))?.rpcServer,
    notifier: notifierFor(ctx, 'nova-conductor'),
    logger: ctx.logger,
    defaultZone: o.default_availability_zone,
  });
  const watchdog = new BuildWatchdog({
    hosts: ctx.shared.hosts,
    instances: ctx.shared.instances,
    downSeconds: o.service_down_time,
    abortBuild: (c, uuid, message, host) => conductor.abortBuild(c, uuid, message, host),
    logger: ctx.logger,
  });
  await ctx.shared.hosts.heartbeat('nova-conductor', ctx.host, 'conductor');
  return {
    rpc: {
      conductor: rpcEndpoints(conductorRpc, {
        build_instances: (c, a) => conductor.buildInstances(c, a),
        instance_update: (c, a) => conductor.instanceUpdate(c, a),
        build_result: (c, a) => conductor.buildResult(c, a),
        block_device_update: (_c, a) =>
          ctx.shared.bdms.update(a.bdm_uuid, {
            ...(a.volume_id !== undefined ? { volumeId: a.volume_id } : {}),
            ...(a.attachment_id !== undefined ? { attachmentId: a.attachment_id } : {}),
          }),
        instance_destroyed: async (c, a) => {
          await volumesOfDeleted.instanceDeleted(a.instance_uuid);
          await conductor.destroyed(a.instance_uuid);
          await moves.instanceDeleted(c, a.instance_uuid);
        },
        report_nodes: (_c, a) => conductor.reportNodes(a),
        move_instance: (c, a) => moves.moveInstance(c, a),
        confirm_move: (c, a) => moves.confirmMove(c, a),
        revert_move: (c, a) => moves.revertMove(c, a),
        instance_offloaded: (c, a) => shelves.instanceOffloaded(c, a),
        unshelve_instance: (c, a) => shelves.unshelveInstance(c, a),
        live_migrate_instance: (c, a) => liveMigrations.liveMigrate(c, a),
      }),
    },
    periodic: {
      'conductor-heartbeat': heartbeat(ctx, 'nova-conductor', 'conductor'),
      'build-watchdog': async () => void (await watchdog.sweep()),
      'shelved-offload': async () =>
        void (await shelves.offloadExpired(
          { requestId: `req-${crypto.randomUUID()}` },
          o.shelved_offload_time,
        )),
    },
  };
}

async function startScheduler(ctx: Ctx): Promise<StartedRole> {
  const o = ctx.config.group(computeOptions);
  const so = ctx.config.group(schedulerOptions);
  const scheduler = new SchedulerManager({
    hosts: ctx.shared.hosts,
    zones: () => ctx.shared.aggregates.zones(),
    placement: () => ctx.clients.placement,
    logger: ctx.logger,
    enabledFilters: so.enabled_filters,
    weightClasses: so.weight_classes,
    maxPlacementResults: so.max_placement_results,
    serviceDownSeconds: o.service_down_time,
    defaultZone: o.default_availability_zone,
    hostSubsetSize: so.host_subset_size,
  });
  await ctx.shared.hosts.heartbeat('nova-scheduler', ctx.host, 'scheduler');
  return {
    rpc: {
      scheduler: rpcEndpoints(schedulerRpc, {
        select_destinations: (_c, a) => scheduler.selectDestinations(a),
      }),
    },
    periodic: { 'scheduler-heartbeat': heartbeat(ctx, 'nova-scheduler', 'scheduler') },
  };
}

/** The simulated hosts one agent runs: its own host, or `<host>-1` … `<host>-N`. */
export function agentHosts(host: string, count: number): string[] {
  return count === 1 ? [host] : Array.from({ length: count }, (_, i) => `${host}-${i + 1}`);
}

async function startAgent(ctx: Ctx): Promise<StartedRole> {
  const o = ctx.config.group(computeOptions);
  const f = ctx.config.group(fakeDriverOptions);
  const driver = computeDrivers[o.compute_driver as keyof typeof computeDrivers]({
    vcpus: f.vcpus,
    memoryMb: f.memory_mb,
    localGb: f.local_gb,
    numaCells: f.numa_cells,
    spawnDelayMs: f.spawn_delay_ms,
    powerDelayMs: f.power_delay_ms,
    failSpawnHosts: f.fail_spawn_hosts,
  });
  const hosts = agentHosts(ctx.host, f.host_count);
  for (const h of hosts) await driver.init(h);
  const conductor = typedRpcClient(ctx.bus, conductorRpc);
  const tracker = new ResourceTracker({
    hosts,
    rpcServer: ctx.host,
    driver,
    placement: () => ctx.clients.placement,
    conductor,
    options: {
      cpuAllocationRatio: o.cpu_allocation_ratio,
      ramAllocationRatio: o.ram_allocation_ratio,
      diskAllocationRatio: o.disk_allocation_ratio,
      reservedHostMemoryMb: o.reserved_host_memory_mb,
      reservedHostDiskMb: o.reserved_host_disk_mb,
      reservedHostCpus: o.reserved_host_cpus,
    },
    logger: ctx.logger,
  });
  const volumes = new VolumeAgent({
    driver,
    clients: () => ctx.clients,
    conductor,
    logger: ctx.logger,
    volumeWaitSeconds: o.block_device_allocate_retries * o.block_device_allocate_retries_interval,
  });
  const agent = new AgentManager({
    hosts: new Set(hosts),
    driver,
    network: () => ctx.clients.network,
    image: () => ctx.clients.image,
    conductor,
    notifier: notifierFor(ctx, 'nova-compute'),
    logger: ctx.logger,
    volumes,
  });
  return {
    rpc: {
      compute: rpcEndpoints(computeRpc, {
        build_and_run_instance: (c: RpcContext, a) => agent.buildAndRun(c, a),
        terminate_instance: (c, a) => agent.terminate(c, a),
        guest_action: (c, a) => agent.guestAction(c, a),
        get_console_output: (_c, a) => agent.consoleOutput(a),
        move_power_off: (_c, a) => agent.movePowerOff(a),
        move_spawn: (_c, a) => agent.moveSpawn(a),
        move_drop_guest: (_c, a) => agent.moveDropGuest(a),
        rebuild_instance: (c, a) => agent.rebuild(c, a),
        set_admin_password: (c, a) => agent.setAdminPassword(c, a),
        trigger_crash_dump: (_c, a) => agent.triggerCrashDump(a),
        rescue_instance: (c, a) => agent.rescue(c, a),
        unrescue_instance: (c, a) => agent.unrescue(c, a),
        snapshot_instance: (c, a) => agent.snapshot(c, a),
        shelve_offload_instance: (c, a) => agent.offload(c, a),
        unshelve_in_place: (c, a) => agent.unshelveInPlace(c, a),
        attach_volume: (c, a) => agent.serial(a.instance_uuid, () => volumes.attach(c, a)),
        detach_volume: (c, a) => agent.serial(a.instance_uuid, () => volumes.detach(c, a)),
        swap_volume: (c, a) => agent.serial(a.instance_uuid, () => volumes.swap(c, a)),
        extend_volume: (c, a) => agent.serial(a.instance_uuid, () => volumes.extend(c, a)),
      }),
    },
    periodic: { 'update-available-resource': (signal) => tracker.update(signal) },
    async cloudReady() {
      try {
        await tracker.update();
      } catch (err) {
        ctx.logger.warn({ err }, 'compute: first resource report failed; the periodic task retries');
      }
    },
  };
}

/**
 * Compute (Nova v2.1, microversions 2.1 to 2.93): the API, the conductor, the filter scheduler
 * over placement, the compute agents (one process may simulate many hosts with the fake driver)
 * and the metadata API. All roles run in one process by default; split out, they talk over the bus.
 */
export const computeService = defineService<ComputeShared>({
  id: 'compute',
  type: 'compute',
  name: 'nova',
  options: [computeOptions, schedulerOptions, fakeDriverOptions, computeQuotaOptions, osloPolicyOptions],
  migrations: computeMigrations,
  async setup(ctx) {
    const db = ctx.db as Database<ComputeTables>;
    return {
      aggregates: new AggregateRepository(db),
      instances: new InstanceRepository(db),
      flavors: new FlavorRepository(db),
      keypairs: new KeypairRepository(db),
      serverGroups: new ServerGroupRepository(db),
      actions: new InstanceActionRepository(db),
      hosts: new HostRepository(db),
      migrations: new MigrationRepository(db),
      bdms: new BlockDeviceMappingRepository(db),
    };
  },
  roles: [
    {
      name: 'api',
      description: 'The Nova v2.1 API (nova-api): servers, flavors, key pairs, quotas, hosts.',
      http: { port: 8774, catalogPath: '/v2.1' },
      start: startApi,
    },
    {
      name: 'conductor',
      description: "nova-conductor: schedules and casts builds, writes the agents' state changes.",
      rpc: [{ topic: 'conductor' }],
      periodic: [
        { name: 'conductor-heartbeat', intervalSeconds: (c) => c.group(computeOptions).report_interval },
        { name: 'build-watchdog', intervalSeconds: (c) => c.group(computeOptions).report_interval },
        { name: 'shelved-offload', intervalSeconds: (c) => c.group(computeOptions).report_interval },
      ],
      start: startConductor,
    },
    {
      name: 'scheduler',
      description: 'nova-scheduler: placement candidates, filters, weighers, claims.',
      rpc: [{ topic: 'scheduler' }],
      periodic: [
        { name: 'scheduler-heartbeat', intervalSeconds: (c) => c.group(computeOptions).report_interval },
      ],
      start: startScheduler,
    },
    {
      name: 'agent',
      description:
        'nova-compute: one per host (or [fake] host_count simulated hosts), builds and runs guests.',
      perHost: true,
      rpc: [{ topic: 'compute', perHost: true }],
      periodic: [
        {
          name: 'update-available-resource',
          intervalSeconds: (c) => c.group(computeOptions).report_interval,
        },
      ],
      start: startAgent,
    },
    {
      name: 'metadata',
      description: 'nova-metadata-api: the OpenStack and EC2 metadata trees guests read (port 8775).',
      http: { port: 8775 },
      async start(ctx) {
        return {
          http: {
            routes: metadataRoutes,
            faults: novaFaults,
            services: {
              instances: ctx.shared.instances,
              keypairs: ctx.shared.keypairs,
              sharedSecret: ctx.config.group(computeOptions).metadata_proxy_shared_secret,
            },
          },
        };
      },
    },
  ],
});
