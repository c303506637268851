import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiskIo } from '@nimbus/disk-faults';
import { type Logger, silentLogger } from '@nimbus/logging';
import {
  buildPipeline,
  DbReplicator,
  ObjectUpdater,
  type Handler,
  type LocalCluster,
  newRequest,
  ObjectAuditor,
  ObjectReplicator,
  openLocalCluster,
  proxyServer,
  readBody,
  type SwiftResponse,
} from '@nimbus/object-storage';

/** A bare cluster in a scratch directory: no auth, daemons run by hand. */
export interface ClusterFixture {
  dir: string;
  cluster: LocalCluster;
  pipeline: Handler;
  replicator: ObjectReplicator;
  containerReplicator: DbReplicator<any>;
  updater: ObjectUpdater;
  auditor: ObjectAuditor;
  request(
    method: string,
    path: string,
    headers?: Record<string, string>,
    body?: Buffer,
  ): Promise<SwiftResponse & { data: Buffer }>;
  failDevice(device: string): void;
  restoreDevice(device: string): void;
  close(): void;
}

/**
 * `io`: the file system the object server goes through (a FaultInjectingDiskIo's, to test disk
 * faults); `log`: where the servers and daemons log (silent by default).
 */
export function startClusterFixture(
  deviceCount: number,
  fsync = false,
  io?: DiskIo,
  log: Logger = silentLogger(),
): ClusterFixture {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-swift-'));
  const cluster = openLocalCluster({
    ringDir: join(dir, 'rings'),
    devicesDir: join(dir, 'devices'),
    layout: {
      partPower: 6,
      replicas: 3,
      minPartHours: 0,
      deviceCount,
      ip: '127.0.0.1',
      ports: { object: 6200, container: 6201, account: 6202 },
    },
    fsync,
    reclaimAge: 604_800,
    nodeTimeoutMs: 10_000,
    log,
    io,
  });
  const devices = () => cluster.rings.object.devices.map((d) => ({ ...d, index: 0, handoff: false }));
  const pipeline = buildPipeline([], proxyServer(cluster.proxy));
  return {
    dir,
    cluster,
    pipeline,
    replicator: new ObjectReplicator(
      cluster.rings.object,
      cluster.node.disk,
      cluster.node.hashes,
      cluster.client,
      devices,
      log,
    ),
    containerReplicator: new DbReplicator(
      'container',
      join(dir, 'devices'),
      cluster.rings.container,
      cluster.node.containers,
      cluster.node.containerServer.changed,
      cluster.client,
      () => cluster.rings.container.devices.map((d) => ({ ...d, index: 0, handoff: false })),
      log,
    ),
    updater: new ObjectUpdater(join(dir, 'devices'), cluster.client, devices, log, io),
    auditor: new ObjectAuditor(
      cluster.node.disk,
      cluster.node.hashes,
      devices,
      { bytesPerSecond: 1e12, filesPerSecond: 1e9 },
      log,
    ),
    async request(method, path, headers = {}, body) {
      const h = { ...headers };
      if (body) h['content-length'] = String(body.length);
      const res = await pipeline(
        newRequest(method, path, {
          headers: h,
          body: body
            ? (async function* () {
                yield body;
              })()
            : undefined,
        }),
      );
      return { ...res, data: await readBody(res.body) };
    },
    failDevice(device) {
      renameSync(join(dir, 'devices', device), join(dir, 'devices', `${device}.failed`));
      cluster.node.disk.recheck();
    },
    restoreDevice(device) {
      renameSync(join(dir, 'devices', `${device}.failed`), join(dir, 'devices', device));
      cluster.node.disk.recheck();
    },
    close() {
      cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
