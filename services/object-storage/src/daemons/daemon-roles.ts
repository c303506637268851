import type { Config, GroupValues } from '@nimbus/config';
import type { RoleContext, RoleDefinition, StartedRole } from '@nimbus/service';
import type { ObjectStorageShared } from '../cluster/object-storage-shared';
import { authOptions, daemonOptions } from '../conf/options';
import { parseRealms } from '../middleware/container-sync';
import { AccountReaper } from './account-reaper';
import { ContainerSyncer } from './container-sync';
import { DbReplicator } from './db-replicator';
import { ObjectAuditor } from './object-auditor';
import { ObjectExpirer } from './object-expirer';
import { ObjectReplicator } from './object-replicator';
import { ObjectUpdater } from './object-updater';

/**
 * A background daemon as a role: one periodic task of the role's name, at an interval read from
 * `[object_storage_daemons]`, run when `enabled`. Each pass walks this host's devices; the next
 * starts one interval (± jitter) after it ends, so an idle cluster costs nearly no CPU.
 */
function daemonRole(
  name: string,
  description: string,
  interval: (o: GroupValues<typeof daemonOptions>) => number,
  build: (shared: ObjectStorageShared, ctx: RoleContext<ObjectStorageShared>) => () => Promise<unknown>,
): RoleDefinition<ObjectStorageShared> {
  return {
    name,
    description,
    periodic: [
      {
        name,
        intervalSeconds: (config) => interval(daemonConf(config)),
        enabled: (config) => daemonConf(config).enabled,
      },
    ],
    async start(ctx): Promise<StartedRole> {
      return { periodic: { [name]: build(ctx.shared, ctx) } };
    },
  };
}

function daemonConf(config: Config): GroupValues<typeof daemonOptions> {
  return config.group(daemonOptions);
}

/** Swift's background daemons, each its own role, with upstream's names. */
export const daemonRoles: readonly RoleDefinition<ObjectStorageShared>[] = [
  daemonRole(
    'object-replicator',
    'Keeps object partitions in sync with their other replicas (swift-object-replicator).',
    (o) => o.replicator_interval,
    ({ cluster, localDevices }, ctx) => {
      const full = daemonConf(ctx.config).replicator_full_interval * 1000;
      const r = new ObjectReplicator(
        cluster.rings.object,
        cluster.node.disk,
        cluster.node.hashes,
        cluster.client,
        () => localDevices('object'),
        ctx.logger,
        full,
      );
      return () => r.runOnce();
    },
  ),
  daemonRole(
    'container-replicator',
    'Keeps container databases in sync with their other replicas (swift-container-replicator).',
    (o) => o.replicator_interval,
    ({ cluster, localDevices }, ctx) => {
      const full = daemonConf(ctx.config).replicator_full_interval * 1000;
      const { node } = cluster;
      const r = new DbReplicator(
        'container',
        node.disk.root,
        cluster.rings.container,
        node.containers,
        node.containerServer.changed,
        cluster.client,
        () => localDevices('container'),
        ctx.logger,
        full,
      );
      return () => r.runOnce();
    },
  ),
  daemonRole(
    'account-replicator',
    'Keeps account databases in sync with their other replicas (swift-account-replicator).',
    (o) => o.replicator_interval,
    ({ cluster, localDevices }, ctx) => {
      const full = daemonConf(ctx.config).replicator_full_interval * 1000;
      const { node } = cluster;
      const r = new DbReplicator(
        'account',
        node.disk.root,
        cluster.rings.account,
        node.accounts,
        node.accountServer.changed,
        cluster.client,
        () => localDevices('account'),
        ctx.logger,
        full,
      );
      return () => r.runOnce();
    },
  ),
  daemonRole(
    'object-auditor',
    'Reads every object back and quarantines the corrupt ones (swift-object-auditor).',
    (o) => o.auditor_interval,
    ({ cluster, localDevices }, ctx) => {
      const o = daemonConf(ctx.config);
      const limits = {
        bytesPerSecond: o.auditor_bytes_per_second,
        filesPerSecond: o.auditor_files_per_second,
      };
      const a = new ObjectAuditor(
        cluster.node.disk,
        cluster.node.hashes,
        () => localDevices('object'),
        limits,
        ctx.logger,
      );
      return () => a.runOnce();
    },
  ),
  daemonRole(
    'object-updater',
    'Replays container updates that object writes could not make at once (swift-object-updater).',
    (o) => o.updater_interval,
    ({ cluster, localDevices }, ctx) => {
      const u = new ObjectUpdater(
        cluster.node.disk.root,
        cluster.client,
        () => localDevices('object'),
        ctx.logger,
        cluster.node.disk.io,
      );
      return () => u.runOnce();
    },
  ),
  daemonRole(
    'container-updater',
    'Sends the accounts the container listings and usage they missed (swift-container-updater).',
    (o) => o.updater_interval,
    ({ cluster }) =>
      () =>
        cluster.node.containerServer.retryReports(),
  ),
  daemonRole(
    'object-expirer',
    'Deletes objects whose X-Delete-At has passed (swift-object-expirer).',
    (o) => o.expirer_interval,
    ({ cluster }, ctx) => {
      const e = new ObjectExpirer(cluster.backend, ctx.logger);
      return () => e.runOnce();
    },
  ),
  daemonRole(
    'account-reaper',
    'Removes the containers and objects of deleted accounts (swift-account-reaper).',
    (o) => o.reaper_interval,
    ({ cluster, localDevices }, ctx) => {
      const { node } = cluster;
      const r = new AccountReaper(
        node.disk.root,
        cluster.rings.account,
        node.accounts,
        cluster.backend,
        () => localDevices('account'),
        ctx.logger,
      );
      return () => r.runOnce();
    },
  ),
  daemonRole(
    'container-sync',
    'Copies the objects of containers with X-Container-Sync-To to their peer (swift-container-sync).',
    (o) => o.container_sync_interval,
    ({ cluster, localDevices }, ctx) => {
      const { node } = cluster;
      const realms = parseRealms(ctx.config.group(authOptions).container_sync_realms);
      const s = new ContainerSyncer(
        node.disk.root,
        cluster.rings.container,
        node.containers,
        cluster.backend,
        realms,
        () => localDevices('container'),
        ctx.logger,
      );
      return () => s.runOnce();
    },
  ),
];
