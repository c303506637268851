import type { GroupValues } from '@nimbus/config';
import type { Logger } from '@nimbus/logging';
import type { StorageNode } from '../cluster/storage-node';
import type { daemonOptions } from '../conf/options';
import type { SyncRealms } from '../middleware/container-sync';
import type { Backend } from '../proxy/backend';
import type { HashPathSalt } from '../ring/hash-path';
import type { Ring, RingNode } from '../ring/ring';
import type { RingName } from '../ring/ring-data';
import type { StorageNodeClient } from '../storage/node-client';
import { AccountReaper } from './account-reaper';
import { ContainerSyncer } from './container-sync';
import { DbReplicator } from './db-replicator';
import { ObjectAuditor } from './object-auditor';
import { ObjectExpirer } from './object-expirer';
import { ObjectReplicator } from './object-replicator';
import { ObjectUpdater } from './object-updater';

export interface DaemonInput {
  node: StorageNode;
  rings: Record<RingName, Ring>;
  client: StorageNodeClient;
  backend: Backend;
  salt: HashPathSalt;
  options: GroupValues<typeof daemonOptions>;
  reclaimAge: number;
  log: Logger;
  localIps?: readonly string[];
  realms: SyncRealms;
}

/** The running daemons; each exposes one pass for tests and tools. */
export interface Daemons {
  replicator: ObjectReplicator;
  auditor: ObjectAuditor;
  updater: ObjectUpdater;
  expirer: ObjectExpirer;
  stop(): Promise<void>;
}

/**
 * Runs each daemon in its own loop: a pass, then a pause of its interval. Passes never overlap,
 * and nothing runs between passes, so an idle cluster costs nearly no CPU.
 */
export function startDaemons(input: DaemonInput): Daemons {
  const { node, rings, options: o, log } = input;
  const localIps = input.localIps ?? ['127.0.0.1'];
  /** The devices of a ring this host serves. */
  const localDevices = (ring: Ring) => (): RingNode[] =>
    ring.devices.filter((d) => localIps.includes(d.ip)).map((d) => ({ ...d, index: 0, handoff: false }));
  const localObjectDevices = localDevices(rings.object);
  const replicator = new ObjectReplicator(
    rings.object,
    node.disk,
    node.hashes,
    input.client,
    localObjectDevices,
    log.child({ daemon: 'object-replicator' }),
    o.replicator_full_interval * 1000,
  );
  const auditor = new ObjectAuditor(
    node.disk,
    node.hashes,
    localObjectDevices,
    { bytesPerSecond: o.auditor_bytes_per_second, filesPerSecond: o.auditor_files_per_second },
    log.child({ daemon: 'object-auditor' }),
  );
  const updater = new ObjectUpdater(
    node.disk.root,
    input.client,
    localObjectDevices,
    log.child({ daemon: 'object-updater' }),
  );
  const expirer = new ObjectExpirer(input.backend, log.child({ daemon: 'object-expirer' }));
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const loop = (name: string, seconds: number, pass: () => Promise<unknown>) => {
    const schedule = () => {
      if (stopped) return;
      const t = setTimeout(() => {
        timers.delete(t);
        const p = pass()
          .then((stats) => log.debug({ daemon: name, stats }, 'pass done'))
          .catch((err) => log.warn({ err, daemon: name }, 'pass failed'))
          .finally(() => {
            running.delete(p);
            schedule();
          });
        running.add(p);
      }, seconds * 1000);
      t.unref();
      timers.add(t);
    };
    schedule();
  };
  loop('object-replicator', o.replicator_interval, () => replicator.runOnce());
  loop('object-auditor', o.auditor_interval, () => auditor.runOnce());
  loop('object-updater', o.updater_interval, () => updater.runOnce());
  loop('container-updater', o.updater_interval, () => node.containerServer.retryReports());
  loop('object-expirer', o.expirer_interval, () => expirer.runOnce());
  const localContainerDevices = localDevices(rings.container);
  const syncer = new ContainerSyncer(
    node.disk.root,
    rings.container,
    node.containers,
    input.backend,
    input.realms,
    localContainerDevices,
    log.child({ daemon: 'container-sync' }),
  );
  loop('container-sync', o.container_sync_interval, () => syncer.runOnce());
  const localAccountDevices = localDevices(rings.account);
  const fullMs = o.replicator_full_interval * 1000;
  const containerReplicator = new DbReplicator(
    'container',
    node.disk.root,
    rings.container,
    node.containers,
    node.containerServer.changed,
    input.client,
    localContainerDevices,
    log.child({ daemon: 'container-replicator' }),
    fullMs,
  );
  const accountReplicator = new DbReplicator(
    'account',
    node.disk.root,
    rings.account,
    node.accounts,
    node.accountServer.changed,
    input.client,
    localAccountDevices,
    log.child({ daemon: 'account-replicator' }),
    fullMs,
  );
  loop('container-replicator', o.replicator_interval, () => containerReplicator.runOnce());
  loop('account-replicator', o.replicator_interval, () => accountReplicator.runOnce());
  const reaper = new AccountReaper(
    node.disk.root,
    rings.account,
    node.accounts,
    input.backend,
    localAccountDevices,
    log.child({ daemon: 'account-reaper' }),
  );
  loop('account-reaper', o.reaper_interval, () => reaper.runOnce());
  return {
    replicator,
    auditor,
    updater,
    expirer,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
