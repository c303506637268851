import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@nimbus/logging';
import { AccountReaper, hashPath, newRequest, readBody } from '@nimbus/object-storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClusterFixture, startClusterFixture } from './cluster-fixture';

/** Where each primary (and every other device) keeps an object's files. */
function replicaFiles(
  f: ClusterFixture,
  account: string,
  container: string,
  object: string,
): Map<string, string[]> {
  const ring = f.cluster.rings.object;
  const part = ring.partition(account, container, object);
  const hash = hashPath(f.cluster.salt, account, container, object).toString('hex');
  const out = new Map<string, string[]>();
  for (const d of ring.devices) {
    const dir = join(f.dir, 'devices', d.device, 'objects', String(part), hash.slice(-3), hash);
    out.set(d.device, existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : []);
  }
  return out;
}

function primaryDevices(f: ClusterFixture, account: string, container: string, object: string): string[] {
  const ring = f.cluster.rings.object;
  return ring.primaries(ring.partition(account, container, object)).map((n) => n.device);
}

describe('object storage reliability', () => {
  let f: ClusterFixture;
  afterEach(() => f?.close(), 120_000);

  it('loses no acknowledged write while a device is down during 10,000 PUTs, and restores three replicas within two replication passes', async () => {
    f = startClusterFixture(3);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
    const objects = new Map<string, Buffer>();
    const acknowledged: string[] = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= 10_000) return;
        if (i === 2_000) f.failDevice('d2');
        const name = `obj-${i}`;
        const data = randomBytes(1 + (i % 97));
        objects.set(name, data);
        const res = await f.request(
          'PUT',
          `/v1/AUTH_t/c/${name}`,
          { etag: createHash('md5').update(data).digest('hex') },
          data,
        );
        if (res.status === 201) acknowledged.push(name);
        else expect(res.status).toBe(503);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(acknowledged.length).toBe(10_000);
    for (const name of acknowledged) {
      const res = await f.request('GET', `/v1/AUTH_t/c/${name}`);
      expect(res.status).toBe(200);
      expect(res.data.equals(objects.get(name)!)).toBe(true);
    }
    f.restoreDevice('d2');
    await f.replicator.runOnce();
    await f.replicator.runOnce();
    let missing = 0;
    for (const name of acknowledged) {
      const files = replicaFiles(f, 'AUTH_t', 'c', name);
      for (const dev of primaryDevices(f, 'AUTH_t', 'c', name))
        if (!files.get(dev)!.some((n) => n.endsWith('.data'))) missing++;
    }
    expect(missing).toBe(0);
  }, 120_000);

  it('brings a container replica that was away up to date: listing rows, metadata and counts', async () => {
    f = startClusterFixture(3);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
    const ring = f.cluster.rings.container;
    const part = ring.partition('AUTH_t', 'c');
    const [, away] = ring.primaries(part).map((n) => n.device);
    f.failDevice(away!);
    for (let i = 0; i < 50; i++)
      expect((await f.request('PUT', `/v1/AUTH_t/c/o${i}`, {}, Buffer.from('x'.repeat(i)))).status).toBe(201);
    expect((await f.request('POST', '/v1/AUTH_t/c', { 'x-container-meta-color': 'red' })).status).toBe(204);
    f.restoreDevice(away!);
    // The missed object updates wait as async pendings; the database replicator needs none of them.
    await f.containerReplicator.runOnce(true);
    const node = ring.primaries(part).find((n) => n.device === away)!;
    const res = await f.cluster.client.request(node, part, 'GET', '/AUTH_t/c', {}, undefined);
    const rows = JSON.parse((await readBody(res.body)).toString()) as { name: string }[];
    expect(rows.length).toBe(50);
    expect(res.headers['x-container-object-count']).toBe('50');
    expect(res.headers['x-container-meta-color']).toBe('red');
    const updated = await f.updater.runOnce();
    expect(updated.failed).toBe(0);
  });

  it('reaps a deleted account: its objects and containers go', async () => {
    f = startClusterFixture(3);
    for (const c of ['a', 'b']) {
      expect((await f.request('PUT', `/v1/AUTH_gone/${c}`)).status).toBe(201);
      for (let i = 0; i < 5; i++)
        expect((await f.request('PUT', `/v1/AUTH_gone/${c}/o${i}`, {}, Buffer.from('x'))).status).toBe(201);
    }
    const del = await f.pipeline(newRequest('DELETE', '/v1/AUTH_gone', { env: { resellerRequest: true } }));
    expect(del.status).toBe(204);
    const devices = () => f.cluster.rings.account.devices.map((d) => ({ ...d, index: 0, handoff: false }));
    const reaper = new AccountReaper(
      join(f.dir, 'devices'),
      f.cluster.rings.account,
      f.cluster.node.accounts,
      f.cluster.backend,
      devices,
      silentLogger(),
    );
    const done = await reaper.runOnce();
    expect(done).toEqual({ accounts: 1, objects: 10, containers: 2 });
    for (const c of ['a', 'b']) {
      expect((await f.cluster.backend.read('container', 'HEAD', {}, 'AUTH_gone', c)).status).toBe(404);
      expect((await f.cluster.backend.read('object', 'GET', {}, 'AUTH_gone', c, 'o0')).status).toBe(404);
    }
    expect((await reaper.runOnce()).accounts).toBe(0);
  });

  it('answers 503, never 201, when a write quorum cannot be met', async () => {
    f = startClusterFixture(3);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
    f.failDevice('d1');
    f.failDevice('d3');
    const res = await f.request('PUT', '/v1/AUTH_t/c/o', {}, Buffer.from('data'));
    expect(res.status).toBe(503);
  });

  it('writes to a handoff while a primary is down and moves the copy home afterwards', async () => {
    f = startClusterFixture(4);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
    const primaries = primaryDevices(f, 'AUTH_t', 'c', 'o');
    f.failDevice(primaries[0]!);
    const data = Buffer.from('handed off');
    expect((await f.request('PUT', '/v1/AUTH_t/c/o', {}, data)).status).toBe(201);
    const handoff = f.cluster.rings.object.devices.map((d) => d.device).find((d) => !primaries.includes(d))!;
    expect(
      replicaFiles(f, 'AUTH_t', 'c', 'o')
        .get(handoff)!
        .some((n) => n.endsWith('.data')),
    ).toBe(true);
    f.restoreDevice(primaries[0]!);
    await f.replicator.runOnce();
    await f.replicator.runOnce();
    const files = replicaFiles(f, 'AUTH_t', 'c', 'o');
    for (const dev of primaries) expect(files.get(dev)!.some((n) => n.endsWith('.data'))).toBe(true);
    expect(files.get(handoff)).toEqual([]);
  });

  it('quarantines a corrupted replica and lets the replicator replace it', async () => {
    f = startClusterFixture(3);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
    const data = randomBytes(4096);
    expect((await f.request('PUT', '/v1/AUTH_t/c/o', {}, data)).status).toBe(201);
    const [victim] = primaryDevices(f, 'AUTH_t', 'c', 'o');
    const ring = f.cluster.rings.object;
    const part = ring.partition('AUTH_t', 'c', 'o');
    const hash = hashPath(f.cluster.salt, 'AUTH_t', 'c', 'o').toString('hex');
    const dir = join(f.dir, 'devices', victim!, 'objects', String(part), hash.slice(-3), hash);
    const dataFile = join(dir, readdirSync(dir).find((n) => n.endsWith('.data'))!);
    const rotten = Buffer.from(readFileSync(dataFile));
    rotten[100] = rotten[100]! ^ 0xff;
    writeFileSync(dataFile, rotten);
    const audit = await f.auditor.runOnce();
    expect(audit.quarantined).toBe(1);
    expect(readdirSync(join(f.dir, 'devices', victim!, 'quarantined', 'objects')).length).toBe(1);
    await f.replicator.runOnce();
    const restored = join(dir, readdirSync(dir).find((n) => n.endsWith('.data'))!);
    expect(readFileSync(restored).equals(data)).toBe(true);
    expect((await f.auditor.runOnce()).quarantined).toBe(0);
  });

  it('does not resurrect an object deleted while a stale replica was away', async () => {
    f = startClusterFixture(3);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
    expect((await f.request('PUT', '/v1/AUTH_t/c/o', {}, Buffer.from('old'))).status).toBe(201);
    const [, , stale] = primaryDevices(f, 'AUTH_t', 'c', 'o');
    f.failDevice(stale!);
    expect((await f.request('DELETE', '/v1/AUTH_t/c/o')).status).toBe(204);
    f.restoreDevice(stale!);
    await f.replicator.runOnce();
    await f.replicator.runOnce();
    const files = replicaFiles(f, 'AUTH_t', 'c', 'o');
    for (const dev of primaryDevices(f, 'AUTH_t', 'c', 'o')) {
      expect(files.get(dev)!.length).toBe(1);
      expect(files.get(dev)![0]).toMatch(/\.ts$/);
    }
    expect((await f.request('GET', '/v1/AUTH_t/c/o', { 'x-newest': 'true' })).status).toBe(404);
    expect((await f.request('GET', '/v1/AUTH_t/c/o')).status).toBe(404);
  });
});
