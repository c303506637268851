import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { silentLogger } from '@nimbus/logging';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalCluster, openLocalCluster } from '../cluster/local-cluster';
import { newRequest, readBody } from '../common/swift-http';
import { buildPipeline, proxyServer } from '../proxy/proxy-server';
import { hashPath } from '../ring/hash-path';
import type { ContainerBroker } from '../storage/db/container-broker';
import { dbPath } from '../storage/db/db-paths';
import type { NodeClient } from '../storage/node-client';
import { DbReplicator } from './db-replicator';
import { ObjectReplicator } from './object-replicator';

/** Three devices, three replicas, in a scratch directory; REPLICATE requests counted. */
function startCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-incremental-'));
  const cluster: LocalCluster = openLocalCluster({
    ringDir: join(dir, 'rings'),
    devicesDir: join(dir, 'devices'),
    layout: {
      partPower: 4,
      replicas: 3,
      minPartHours: 0,
      deviceCount: 3,
      ip: '127.0.0.1',
      ports: { object: 6200, container: 6201, account: 6202 },
    },
    fsync: false,
    reclaimAge: 604_800,
    nodeTimeoutMs: 10_000,
    log: silentLogger(),
  });
  const pipeline = buildPipeline([], proxyServer(cluster.proxy));
  const sent = { replicate: 0 };
  const client: NodeClient = {
    request(node, part, method, ...rest) {
      if (method === 'REPLICATE') sent.replicate++;
      return cluster.client.request(node, part, method, ...rest);
    },
  };
  const devices = () => cluster.rings.object.devices.map((d) => ({ ...d, index: 0, handoff: false }));
  const { node } = cluster;
  return {
    dir,
    cluster,
    sent,
    objects: (recheckMs?: number) =>
      new ObjectReplicator(
        cluster.rings.object,
        node.disk,
        node.hashes,
        client,
        devices,
        silentLogger(),
        recheckMs,
      ),
    containers: () =>
      new DbReplicator<ContainerBroker>(
        'container',
        join(dir, 'devices'),
        cluster.rings.container,
        node.containers,
        node.containerServer.changed,
        client,
        devices,
        silentLogger(),
      ),
    async put(path: string, body?: string) {
      const res = await pipeline(
        newRequest('PUT', path, {
          headers: body === undefined ? {} : { 'content-length': String(body.length) },
          body:
            body === undefined
              ? undefined
              : (async function* () {
                  yield Buffer.from(body);
                })(),
        }),
      );
      await readBody(res.body);
      expect(res.status).toBe(201);
    },
    close() {
      cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Cluster = ReturnType<typeof startCluster>;

/** The devices holding an object's data file. */
function holders(c: Cluster, object: string): string[] {
  const ring = c.cluster.rings.object;
  const part = ring.partition('AUTH_t', 'c', object);
  const hash = hashPath(c.cluster.salt, 'AUTH_t', 'c', object).toString('hex');
  return ring.devices
    .map((d) => d.device)
    .filter((d) => existsSync(join(c.dir, 'devices', d, 'objects', String(part), hash.slice(-3), hash)));
}

describe('incremental replication', () => {
  let c: Cluster;
  afterEach(() => c?.close());

  it('sends no REPLICATE for partitions unchanged since they were found in sync, and compares a written one again', async () => {
    c = startCluster();
    await c.put('/v1/AUTH_t/c');
    for (let i = 0; i < 20; i++) await c.put(`/v1/AUTH_t/c/o${i}`, 'x');
    const replicator = c.objects();
    const first = await replicator.runOnce();
    expect(first.partitionsSkipped).toBe(0);
    expect(c.sent.replicate).toBeGreaterThan(0);
    c.sent.replicate = 0;
    const idle = await replicator.runOnce();
    expect(c.sent.replicate).toBe(0);
    expect(idle.partitionsSkipped).toBe(idle.partitions);

    await c.put('/v1/AUTH_t/c/o0', 'y');
    const after = await replicator.runOnce();
    // One partition, on each of its three devices, compared with its two peers.
    expect(after.partitions - after.partitionsSkipped).toBe(3);
    expect(c.sent.replicate).toBe(6);
  });

  it('restores a local peer whose disk was replaced, though nothing was written to the others', async () => {
    c = startCluster();
    await c.put('/v1/AUTH_t/c');
    await c.put('/v1/AUTH_t/c/o', 'data');
    const replicator = c.objects();
    await replicator.runOnce();
    await replicator.runOnce();
    const [victim] = holders(c, 'o');
    const devDir = join(c.dir, 'devices', victim!);
    renameSync(devDir, `${devDir}.old`);
    mkdirSync(devDir);
    c.cluster.node.disk.recheck();
    expect(holders(c, 'o')).not.toContain(victim);
    await replicator.runOnce();
    expect(holders(c, 'o')).toContain(victim);
  });

  it('compares every partition again once the recheck interval has passed', async () => {
    c = startCluster();
    await c.put('/v1/AUTH_t/c');
    await c.put('/v1/AUTH_t/c/o', 'data');
    const replicator = c.objects(50);
    await replicator.runOnce();
    c.sent.replicate = 0;
    await replicator.runOnce();
    expect(c.sent.replicate).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    await replicator.runOnce();
    expect(c.sent.replicate).toBeGreaterThan(0);
  });

  it('visits only written container databases, and none once replicas agree', async () => {
    c = startCluster();
    await c.put('/v1/AUTH_t/c');
    await c.put('/v1/AUTH_t/d');
    await c.put('/v1/AUTH_t/c/o', 'x');
    const replicator = c.containers();
    await replicator.runOnce(true);
    // Pushed rows each replica already had change nothing, so no replica is visited again.
    c.sent.replicate = 0;
    const idle = await replicator.runOnce();
    expect(idle.databases).toBe(0);
    expect(c.sent.replicate).toBe(0);

    await c.put('/v1/AUTH_t/c/o2', 'x');
    const after = await replicator.runOnce();
    expect(after.databases).toBe(3);
    expect(after.rowsPushed).toBe(6);
    expect((await replicator.runOnce()).databases).toBe(0);
  });

  it('sends every row again to a peer whose database was lost and created anew, on the next full pass', async () => {
    c = startCluster();
    await c.put('/v1/AUTH_t/c');
    for (let i = 0; i < 5; i++) await c.put(`/v1/AUTH_t/c/o${i}`, 'x');
    const replicator = c.containers();
    await replicator.runOnce(true);
    await replicator.runOnce();
    const ring = c.cluster.rings.container;
    const part = ring.partition('AUTH_t', 'c');
    const [, lost] = ring.primaries(part);
    const path = dbPath(
      join(c.dir, 'devices'),
      lost!.device,
      part,
      'container',
      c.cluster.salt,
      'AUTH_t',
      'c',
    );
    c.cluster.node.containers.drop(path);
    rmSync(dirname(path), { recursive: true, force: true });
    // Nothing changed on the other replicas: only a full pass finds out.
    expect((await replicator.runOnce()).databases).toBe(0);
    await replicator.runOnce(true);
    const res = await c.cluster.client.request(lost!, part, 'GET', '/AUTH_t/c', {});
    const rows = JSON.parse((await readBody(res.body)).toString()) as { name: string }[];
    expect(rows.map((r) => r.name).sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
  });
});
