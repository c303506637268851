import { join } from 'node:path';
import {
  messagingDefaultOptions,
  notificationOptions,
  notifierOptionsFromConfig,
  typedRpcClient,
} from '@nimbus/bus';
import { ObjectStoreClient } from '@nimbus/clients';
import type { Database } from '@nimbus/db';
import { loadServicePolicy, osloPolicyOptions } from '@nimbus/policy';
import { defineService, type RoleContext, type ServiceContext, type StartedRole } from '@nimbus/service';
import { blockStoragePolicies } from './api/block-storage-policies';
import type { BlockStorageServices } from './api/block-storage-services';
import { cinderFaultRenderer } from './api/cinder-faults';
import { VOLUME_MICROVERSIONS } from './api/misc/root-controller';
import { blockStorageRoutes } from './api/routes';
import { registerVolumeV3 } from './api/volumev3-catalog';
import { backupDrivers } from './backup-drivers/registry';
import { blockStorageOptions } from './conf/options';
import { blockStorageMigrations } from './db/migrations/index';
import type { BlockStorageTables } from './db/record-store';
import { Stores } from './db/stores';
import type { VolumeOperation } from './drivers/driver-api';
import { volumeDrivers } from './drivers/registry';
import { AttachmentManager } from './manager/attachment-manager';
import { BackupManager } from './manager/backup-manager';
import { BackupWorker } from './manager/backup-worker';
import { type Caller, callerOf } from './manager/caller';
import { CinderInvalid } from './manager/cinder-errors';
import { GroupManager } from './manager/group-manager';
import { volumeImageProperties } from './manager/image-properties';
import { ManageManager } from './manager/manage-manager';
import { ManageWorker } from './manager/manage-worker';
import { MessageManager } from './manager/message-manager';
import { MigrationManager } from './manager/migration-manager';
import { MigrationWorker } from './manager/migration-worker';
import { QosManager } from './manager/qos-manager';
import { QuotaManager } from './manager/quota-manager';
import { reportService } from './manager/service-reporter';
import { SnapshotManager } from './manager/snapshot-manager';
import { TransferManager } from './manager/transfer-manager';
import { type BlockStorageRpc, VolumeManager } from './manager/volume-manager';
import { VolumeNotifier } from './manager/volume-notifier';
import { VolumeTypeManager } from './manager/volume-type-manager';
import { type Backend, VolumeWorker } from './manager/volume-worker';
import { backupRpc, schedulerRpc, volumeRpc } from './rpc/block-storage-rpc';
import { VolumeScheduler } from './scheduler/volume-scheduler';

/** What the roles of one process share: the stores, the managers every role uses, the volume workers. */
interface Shared {
  stores: Stores;
  types: VolumeTypeManager;
  messages: MessageManager;
  notifier: VolumeNotifier;
  rpc: BlockStorageRpc;
  /** The volume roles running in this process, by volume host (`host@backend`). */
  workers: Map<string, VolumeWorker>;
  options: ReturnType<ServiceContext['config']['group']> & Record<string, any>;
}

/**
 * Block storage (Cinder v3, microversions 3.0–3.70): volumes, snapshots, backups, types, QoS,
 * quotas, transfers, attachments, groups. Roles as upstream's processes: `api` (cinder-api),
 * `scheduler`, `volume` (one per backend host) and `backup`, talking over the bus.
 */
export const blockStorageService = defineService<Shared>({
  id: 'block-storage',
  type: 'block-storage',
  name: 'cinder',
  options: [blockStorageOptions, osloPolicyOptions],
  migrations: blockStorageMigrations,
  async setup(ctx) {
    const o = ctx.config.group(blockStorageOptions);
    const stores = new Stores(ctx.db as Database<BlockStorageTables>);
    const types = new VolumeTypeManager(stores.db, o.default_volume_type);
    await types.ensureDefault();
    const notifier = ctx.bus.notifier(
      'volume.localhost',
      notifierOptionsFromConfig(
        ctx.config.group(notificationOptions),
        ctx.config.group(messagingDefaultOptions).control_exchange,
        'cinder',
      ),
    );
    return {
      stores,
      types,
      messages: new MessageManager(stores, o.message_ttl),
      notifier: new VolumeNotifier(notifier, ctx.logger),
      rpc: {
        scheduler: typedRpcClient(ctx.bus, schedulerRpc),
        volume: typedRpcClient(ctx.bus, volumeRpc),
        backup: typedRpcClient(ctx.bus, backupRpc),
      },
      workers: new Map(),
      options: o,
    };
  },
  roles: [
    {
      name: 'api',
      description: 'The Cinder v3 API (cinder-api): volumes, snapshots, backups, types, quotas, attachments.',
      http: { port: 8776, catalogPath: '/v3/$(project_id)s' },
      start: startApi,
    },
    {
      name: 'scheduler',
      description: 'Places new volumes on the pools the volume roles report (cinder-scheduler).',
      rpc: [{ topic: schedulerRpc.topic }],
      periodic: [{ name: 'scheduler-heartbeat', intervalSeconds: 10, initialDelaySeconds: 0 }],
      start: startScheduler,
    },
    {
      name: 'volume',
      description: 'Runs the volume driver of each enabled backend on its host (cinder-volume).',
      perHost: true,
      rpc: [{ topic: volumeRpc.topic, perHost: true }],
      periodic: [
        {
          name: 'pool-report',
          intervalSeconds: (c) => c.group(blockStorageOptions).pool_report_interval,
          initialDelaySeconds: 0,
        },
      ],
      start: startVolume,
    },
    {
      name: 'backup',
      description: 'Backs volumes up to object storage or a directory, and restores them (cinder-backup).',
      rpc: [{ topic: backupRpc.topic }],
      periodic: [{ name: 'backup-heartbeat', intervalSeconds: 10, initialDelaySeconds: 0 }],
      start: startBackup,
    },
  ],
});

/** The quota manager over the configured default limits. */
function quotaManagerOf({ stores, types, options: o }: Shared): QuotaManager {
  return new QuotaManager(stores, types, {
    volumes: o.quota_volumes,
    snapshots: o.quota_snapshots,
    gigabytes: o.quota_gigabytes,
    backups: o.quota_backups,
    backup_gigabytes: o.quota_backup_gigabytes,
    groups: o.quota_groups,
    per_volume_gigabytes: o.per_volume_size_limit,
  });
}

function zoneOf(o: Shared['options']): string {
  return String(o.storage_availability_zone);
}

async function startApi(ctx: RoleContext<Shared>): Promise<StartedRole> {
  const { stores, types, messages, notifier, rpc, options: o } = ctx.shared;
  const quotas = quotaManagerOf(ctx.shared);
  const zone = zoneOf(o);
  const volumes = new VolumeManager(stores, types, quotas, rpc, notifier, {
    defaultAvailabilityZone: String(o.default_availability_zone || zone),
    allowZoneFallback: Boolean(o.allow_availability_zone_fallback),
    knownZones: async () => {
      const zones = (await stores.services.list())
        .filter((s) => s.binary === 'cinder-volume')
        .map((s) => s.zone);
      return zones.length ? [...new Set(zones)] : [zone];
    },
    imageInfo: async (caller: Caller, imageId: string) => {
      const image = await ctx.clients
        .actingFor(caller.token ?? '')
        .image.getImage(imageId)
        .catch(() => undefined);
      if (!image || image.status !== 'active') {
        throw new CinderInvalid('Invalid image identifier or unable to access requested image.');
      }
      const properties = volumeImageProperties(image);
      return { sizeBytes: Number(image.size ?? 0), minDiskGb: Number(image.min_disk ?? 0), properties };
    },
  });
  const snapshots = new SnapshotManager(stores, volumes, types, quotas, rpc, notifier);
  const policy = loadServicePolicy({
    serviceType: 'block-storage',
    defaults: blockStoragePolicies,
    config: ctx.config,
    dataDir: ctx.dataDir,
    logger: ctx.logger,
  });
  const services: BlockStorageServices = {
    stores,
    volumes,
    types,
    snapshots,
    quotas,
    messages,
    attachments: new AttachmentManager(stores, volumes, rpc),
    backups: new BackupManager(stores, volumes, quotas, rpc, {
      enabled: o.backup_driver !== 'none',
      defaultContainer: String(o.backup_swift_container),
      serviceName: `cinder.backup.drivers.${o.backup_driver === 'posix' ? 'posix' : 'swift'}`,
    }),
    transfers: new TransferManager(stores, volumes, types, quotas),
    qos: new QosManager(stores, types),
    groups: new GroupManager(stores, volumes, snapshots, types, quotas, zone),
    manage: new ManageManager(stores, volumes, types, quotas, rpc, notifier),
    migrations: new MigrationManager(stores, rpc, notifier),
    rpc,
    clients: ctx.clients,
    options: { maxLimit: o.osapi_max_limit, zone, backupEnabled: o.backup_driver !== 'none' },
  };
  return {
    http: {
      routes: blockStorageRoutes,
      faults: cinderFaultRenderer,
      microversions: VOLUME_MICROVERSIONS,
      validationMessage: (p) => `Invalid input for field/attribute ${p.path || 'body'}. ${p.message}`,
      policy,
      services,
    },
    cloudReady: (endpoints) => registerVolumeV3(ctx.clients, endpoints, ctx.logger),
    async stop() {
      policy.close();
    },
  };
}

async function startScheduler(ctx: RoleContext<Shared>): Promise<StartedRole> {
  const { stores, types, messages, notifier, rpc, options: o } = ctx.shared;
  const scheduler = new VolumeScheduler(stores, types, messages, notifier, ctx.logger, {
    filters: o.scheduler_default_filters,
    weighers: (o.scheduler_default_weighers as string[]).map((name) => ({
      name,
      multiplier:
        name === 'CapacityWeigher'
          ? o.capacity_weight_multiplier
          : name === 'AllocatedCapacityWeigher'
            ? o.allocated_capacity_weight_multiplier
            : o.volume_number_multiplier,
    })),
    serviceDownSeconds: Math.max(60, o.pool_report_interval * 6),
  });
  const heartbeat = () =>
    reportService(stores, { binary: 'cinder-scheduler', host: ctx.host, zone: zoneOf(o) });
  return {
    rpc: {
      [schedulerRpc.topic]: {
        create_volume: async (rctx, args: { volume_id: string }) => {
          const caller = callerOf(rctx);
          const host = await scheduler.scheduleCreate(caller, args.volume_id);
          if (host)
            await rpc.volume.cast.create_volume(
              rctx,
              { volume_id: args.volume_id },
              { server: host.split('@')[0] ?? host },
            );
        },
        find_backend: async (
          _rctx,
          args: { volume_id: string; volume_type_id?: string | null; host?: string | null },
        ) => {
          const v = await stores.volumes.get(args.volume_id);
          if (!v) return '';
          const placed = args.volume_type_id ? { ...v, volume_type_id: args.volume_type_id } : v;
          const { pool } = await scheduler.pick(
            placed,
            {},
            {
              ...(args.host ? { within: args.host } : {}),
              ...(v.host ? { prefer: v.host } : {}),
            },
          );
          return pool?.name ?? '';
        },
      },
    },
    periodic: { 'scheduler-heartbeat': heartbeat },
  };
}

/** Backends from `enabled_backends`: `file`, `fake`, or `name:driver`. */
function backendsOf(ctx: RoleContext<Shared>): Backend[] {
  const o = ctx.shared.options;
  return (o.enabled_backends as string[]).map((entry) => {
    const [name, driverName = name] = entry.includes(':') ? entry.split(':', 2) : [entry, entry];
    const factory = volumeDrivers[driverName as keyof typeof volumeDrivers];
    if (!factory) throw new Error(`[block_storage] enabled_backends: unknown volume driver ${driverName}`);
    const driver = factory({
      host: ctx.host,
      backendName: String(name),
      dataDir: ctx.dataDir,
      options: {
        volume_backend_name: String(name),
        reserved_percentage: o.reserved_percentage,
        max_over_subscription_ratio: o.max_over_subscription_ratio,
        volume_format: o.volume_format,
        volumes_dir: join(ctx.dataDir, 'block-storage', ctx.host, String(name)),
        ...(driverName === 'fake'
          ? { fake_capacity_gb: o.fake_capacity_gb, fake_manageable: fakeManageable(o.fake_manageable) }
          : {}),
        ...(driverName === 'fake' && o.fake_fail.length
          ? { fake_fail: o.fake_fail as VolumeOperation[] }
          : {}),
      },
    });
    return { host: `${ctx.host}@${name}`, name: String(name), driver, up: false };
  });
}

/** `[block_storage] fake_manageable` entries (`name:sizeGb`) as the fake driver's map. */
function fakeManageable(entries: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries) {
    const at = entry.lastIndexOf(':');
    const sizeGb = Number(entry.slice(at + 1));
    if (at <= 0 || !Number.isInteger(sizeGb) || sizeGb < 1)
      throw new Error(`[block_storage] fake_manageable: ${entry} is not <name>:<size in GB>`);
    out[entry.slice(0, at)] = sizeGb;
  }
  return out;
}

async function startVolume(ctx: RoleContext<Shared>): Promise<StartedRole> {
  const { stores, types, messages, notifier, workers, options: o } = ctx.shared;
  const backends = backendsOf(ctx);
  const worker = new VolumeWorker(
    stores,
    types,
    messages,
    notifier,
    backends,
    zoneOf(o),
    ctx.logger,
    async (caller, imageId) => {
      const images = ctx.clients.actingFor(caller.token ?? '').image;
      const image = await images.getImage(imageId);
      const stream = await images.downloadImage(imageId);
      if (!stream) throw new Error(`image ${imageId} has no data`);
      return {
        stream,
        diskFormat: String(image.disk_format ?? 'raw'),
        containerFormat: String(image.container_format ?? 'bare'),
        ...(typeof image.size === 'number' ? { sizeBytes: image.size } : {}),
      };
    },
    // Cinder tells Nova with its own (privileged) credentials, at the microversion of the event.
    (serverIds, volumeId) =>
      ctx.clients.compute.externalEvents(
        serverIds.map((server_uuid) => ({ name: 'volume-extended', server_uuid, tag: volumeId })),
        '2.51',
      ),
  );
  await worker.init();
  for (const b of backends) workers.set(b.host, worker);
  const quotas = quotaManagerOf(ctx.shared);
  const manage = new ManageWorker(
    stores,
    types,
    messages,
    notifier,
    backends,
    (projectId, deltas, sizeGb) => quotas.check(projectId, deltas, sizeGb),
    ctx.logger,
  );
  const migration = new MigrationWorker(
    stores,
    types,
    notifier,
    (host) => workers.get(host)?.backends.find((b) => b.host === host),
    ctx.logger,
  );
  return {
    rpc: {
      [volumeRpc.topic]: {
        create_volume: (rctx, a: { volume_id: string }) => worker.createVolume(callerOf(rctx), a.volume_id),
        delete_volume: (rctx, a: { volume_id: string; cascade: boolean; unmanage: boolean }) =>
          worker.deleteVolume(callerOf(rctx), a.volume_id, a.cascade, a.unmanage),
        extend_volume: (rctx, a: { volume_id: string; new_size: number }) =>
          worker.extendVolume(callerOf(rctx), a.volume_id, a.new_size),
        create_snapshot: (rctx, a: { snapshot_id: string }) =>
          worker.createSnapshot(callerOf(rctx), a.snapshot_id),
        delete_snapshot: (rctx, a: { snapshot_id: string; unmanage: boolean }) =>
          worker.deleteSnapshot(callerOf(rctx), a.snapshot_id, a.unmanage),
        revert_to_snapshot: (rctx, a: { volume_id: string; snapshot_id: string }) =>
          worker.revertToSnapshot(callerOf(rctx), a.volume_id, a.snapshot_id),
        copy_volume_to_image: (rctx, a: { volume_id: string; image_id: string; disk_format: string }) => {
          const caller = callerOf(rctx);
          const image = ctx.clients.actingFor(caller.token ?? '').forType('image');
          return worker.copyVolumeToImage(caller, a.volume_id, a.disk_format, async (stream, sizeBytes) => {
            await image.request({
              method: 'PUT',
              path: `/v2/images/${a.image_id}/file`,
              body: stream,
              headers: { 'content-type': 'application/octet-stream', 'content-length': String(sizeBytes) },
              timeoutSeconds: 0,
            });
          });
        },
        migrate_volume: (rctx, a: { volume_id: string; host: string; new_type_id?: string | null }) =>
          migration.migrate(callerOf(rctx), a.volume_id, a.host, a.new_type_id ?? null),
        manage_existing: (rctx, a: { volume_id: string; ref: Record<string, unknown> }) =>
          manage.manageVolume(callerOf(rctx), a.volume_id, a.ref),
        manage_existing_snapshot: (rctx, a: { snapshot_id: string; ref: Record<string, unknown> }) =>
          manage.manageSnapshot(callerOf(rctx), a.snapshot_id, a.ref),
        get_manageable: (_rctx, a: { host: string; kind: 'volume' | 'snapshot' }) =>
          manage.listManageable(a.host, a.kind),
        initialize_connection: (_rctx, a: { volume_id: string; connector: Record<string, unknown> }) =>
          worker.initializeConnection(a.volume_id, a.connector),
        terminate_connection: (_rctx, a: { volume_id: string; connector: Record<string, unknown> | null }) =>
          worker.terminateConnection(a.volume_id, a.connector),
      },
    },
    periodic: { 'pool-report': () => worker.reportPools() },
    async stop() {
      for (const b of backends) workers.delete(b.host);
      await worker.shutdown();
    },
  };
}

async function startBackup(ctx: RoleContext<Shared>): Promise<StartedRole> {
  const { stores, messages, workers, options: o } = ctx.shared;
  const zone = zoneOf(o);
  if (o.backup_driver === 'none') {
    return { rpc: { [backupRpc.topic]: {} }, periodic: { 'backup-heartbeat': async () => undefined } };
  }
  const factory = backupDrivers[o.backup_driver as keyof typeof backupDrivers];
  const driver = factory({
    host: ctx.host,
    dataDir: ctx.dataDir,
    options: {
      backup_swift_container: String(o.backup_swift_container),
      ...(o.backup_posix_path ? { backup_posix_path: String(o.backup_posix_path) } : {}),
    },
  });
  await driver.init();
  const worker = new BackupWorker(
    stores,
    driver,
    (host) => (host ? workers.get(host.split('#')[0] ?? host) : undefined),
    messages,
    (caller) => userObjectStore(ctx, caller),
    String(o.backup_swift_container),
    ctx.logger,
  );
  return {
    rpc: {
      [backupRpc.topic]: {
        create_backup: (rctx, a: { backup_id: string }) => worker.create(callerOf(rctx), a.backup_id),
        restore_backup: (rctx, a: { backup_id: string; volume_id: string }) =>
          worker.restore(callerOf(rctx), a.backup_id, a.volume_id),
        delete_backup: (rctx, a: { backup_id: string }) => worker.delete(callerOf(rctx), a.backup_id),
      },
    },
    periodic: {
      'backup-heartbeat': () => reportService(stores, { binary: 'cinder-backup', host: ctx.host, zone }),
    },
  };
}

/**
 * The object store in the caller's own account (`AUTH_<project>`), as upstream's Swift backup
 * driver writes backups where the user's catalog points: the catalog URL of the service's
 * session names the service's account, so its account part is replaced by the caller's project.
 */
function userObjectStore(ctx: RoleContext<Shared>, caller: Caller): ObjectStoreClient | undefined {
  if (!caller.token) return undefined;
  const source = ctx.clients.actingFor(caller.token).endpointSource('object-store');
  return new ObjectStoreClient({
    ...source,
    endpoint: async () => (await source.endpoint()).replace(/\/AUTH_[^/]+/, `/AUTH_${caller.projectId}`),
    token: () => source.token(),
    ...(source.serviceToken ? { serviceToken: () => source.serviceToken!() } : {}),
    ...(source.invalidate ? { invalidate: () => source.invalidate!() } : {}),
  });
}
