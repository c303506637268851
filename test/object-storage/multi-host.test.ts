import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger } from '@nimbus/logging';
import {
  buildPipeline,
  hashPath,
  type LocalCluster,
  newRequest,
  ObjectReplicator,
  openLocalCluster,
  proxyServer,
  RingBuilder,
  readBody,
  saveRing,
  serveStorageHttp,
} from '@nimbus/object-storage';
import { afterAll, describe, expect, it } from 'vitest';

const PORTS = { object: 16200, container: 16201, account: 16202 };

// Two storage hosts (127.0.0.1 and 127.0.0.2) in one process, talking HTTP to each other as
// separate machines would: the proxy on the first reaches the second's device over the wire.
describe('object storage across hosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-swift-hosts-'));
  const ringDir = join(dir, 'rings');
  const log = process.env.NIMBUS_TEST_LOGS ? createLogger({ level: 'debug' }) : silentLogger();
  const servers: Server[] = [];
  let a: LocalCluster;
  let b: LocalCluster;
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    a?.close();
    b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (ip: string, devices: string) =>
    openLocalCluster({
      ringDir,
      devicesDir: join(dir, devices),
      hashSuffix: 'hosts',
      layout: { partPower: 4, replicas: 3, minPartHours: 0, deviceCount: 3, ip, ports: PORTS },
      localIps: [ip],
      fsync: false,
      reclaimAge: 604_800,
      nodeTimeoutMs: 5_000,
      log,
    });

  it('writes one replica over HTTP to the other host, survives its loss, and replicates back to it', async () => {
    for (const name of ['account', 'container', 'object'] as const) {
      const builder = RingBuilder.create(4, 3, 0);
      builder.addDevice({
        region: 1,
        zone: 1,
        ip: '127.0.0.1',
        port: PORTS[name],
        device: 'a1',
        weight: 100,
        meta: '',
      });
      builder.addDevice({
        region: 1,
        zone: 2,
        ip: '127.0.0.1',
        port: PORTS[name],
        device: 'a2',
        weight: 100,
        meta: '',
      });
      builder.addDevice({
        region: 1,
        zone: 3,
        ip: '127.0.0.2',
        port: PORTS[name],
        device: 'b1',
        weight: 100,
        meta: '',
      });
      builder.rebalance();
      saveRing(ringDir, name, builder.toRing());
    }
    a = open('127.0.0.1', 'host-a');
    b = open('127.0.0.2', 'host-b');
    servers.push(
      ...(await serveStorageHttp(a, '127.0.0.1', log)),
      ...(await serveStorageHttp(b, '127.0.0.2', log)),
    );
    const proxy = buildPipeline([], proxyServer(a.proxy));
    const call = async (
      method: string,
      path: string,
      body?: string,
      headers: Record<string, string> = {},
    ) => {
      const [p, q] = path.split('?');
      const res = await proxy(
        newRequest(method, p!, {
          query: new URLSearchParams(q ?? ''),
          headers:
            body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          body:
            body === undefined
              ? undefined
              : (async function* () {
                  yield Buffer.from(body);
                })(),
        }),
      );
      return { status: res.status, text: (await readBody(res.body)).toString() };
    };
    expect((await call('PUT', '/v1/AUTH_x/c')).status).toBe(201);
    expect((await call('PUT', '/v1/AUTH_x/c/o', 'over the wire')).status).toBe(201);
    const part = a.rings.object.partition('AUTH_x', 'c', 'o');
    const hash = hashPath(a.salt, 'AUTH_x', 'c', 'o').toString('hex');
    const onB = () => join(dir, 'host-b', 'b1', 'objects', String(part), hash.slice(-3), hash);
    expect(readdirSync(onB()).some((n) => n.endsWith('.data'))).toBe(true);
    expect((await call('GET', '/v1/AUTH_x/c/o', undefined, { 'x-newest': 'true' })).text).toBe(
      'over the wire',
    );
    const listing = await call('GET', '/v1/AUTH_x/c?format=json', undefined, { 'x-newest': 'true' });
    expect(JSON.parse(listing.text).map((o: { name: string }) => o.name)).toEqual(['o']);

    // Host B goes away: writes still reach a quorum on host A.
    const bServers = servers.splice(3);
    for (const s of bServers) await new Promise((r) => s.close(r));
    rmSync(onB(), { recursive: true, force: true });
    expect((await call('PUT', '/v1/AUTH_x/c/o', 'while b was down')).status).toBe(201);
    expect(existsSync(onB())).toBe(false);

    // It comes back; host A's replicator pushes the new version to it over HTTP.
    servers.push(...(await serveStorageHttp(b, '127.0.0.2', log)));
    const devices = () =>
      a.rings.object.devices
        .filter((d) => d.ip === '127.0.0.1')
        .map((d) => ({ ...d, index: 0, handoff: false }));
    await new ObjectReplicator(a.rings.object, a.node.disk, a.node.hashes, a.client, devices, log).runOnce();
    expect(readdirSync(onB()).filter((n) => n.endsWith('.data')).length).toBe(1);
    const res = await b.client.request(
      { ip: '127.0.0.2', port: PORTS.object, device: 'b1' },
      part,
      'GET',
      '/AUTH_x/c/o',
      {},
    );
    expect((await readBody(res.body)).toString()).toBe('while b was down');
  });
});
