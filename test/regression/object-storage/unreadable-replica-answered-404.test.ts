// Regression: an object server that could not read a replica (EIO, metadata that does not
// decode, a data file shorter than its metadata) answered 404, or 200 with the bytes it got, and
// left the damaged files in place, where replication never replaced them. It now quarantines
// the replica (`<device>/quarantined/objects/<hash>`, as Swift's quarantine_renamer), answers
// 500, logs why, and the proxy serves another replica; replication then puts a good copy back.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FaultInjectingDiskIo } from '@nimbus/disk-faults';
import { hashPath, newRequest, readBody } from '@nimbus/object-storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClusterFixture, startClusterFixture } from '../../object-storage/cluster-fixture';
import { ERROR, type LogLine, recordingLogger } from '../../object-storage/recording-logger';

describe('an object replica the server cannot read', () => {
  let f: ClusterFixture;
  let faults: FaultInjectingDiskIo;
  let lines: LogLine[];

  beforeEach(async () => {
    faults = new FaultInjectingDiskIo();
    const recorder = recordingLogger();
    lines = recorder.lines;
    f = startClusterFixture(3, false, faults.io, recorder.log);
    expect((await f.request('PUT', '/v1/AUTH_t/c')).status).toBe(201);
  });
  afterEach(() => f?.close());

  /** Puts an object; answers where its replicas live and its hash directory's name. */
  async function put(name: string, body: Buffer) {
    expect((await f.request('PUT', `/v1/AUTH_t/c/${name}`, {}, body)).status).toBe(201);
    const { part, nodes } = f.cluster.rings.object.nodes('AUTH_t', 'c', name);
    const hash = hashPath(f.cluster.salt, 'AUTH_t', 'c', name).toString('hex');
    const hashDir = (device: string) =>
      join(f.dir, 'devices', device, 'objects', String(part), hash.slice(-3), hash);
    const quarantined = (device: string) => join(f.dir, 'devices', device, 'quarantined', 'objects', hash);
    const direct = (device: string, method = 'GET') =>
      f.cluster.node.objectServer.handle(newRequest(method, `/${device}/${part}/AUTH_t/c/${name}`));
    return { part, devices: nodes.map((n) => n.device), hash, hashDir, quarantined, direct };
  }

  /** Asserts the replica moved to quarantine (data file with it) and the reason was logged. */
  function expectQuarantined(o: Awaited<ReturnType<typeof put>>, device: string, cause: RegExp) {
    expect(existsSync(o.hashDir(device))).toBe(false);
    expect(readdirSync(o.quarantined(device)).some((n) => n.endsWith('.data'))).toBe(true);
    const line = lines.find((l) => l.level === ERROR && /quarantined/.test(l.msg));
    expect(line, JSON.stringify(lines)).toBeDefined();
    expect(JSON.stringify(line)).toMatch(cause);
  }

  it('EIO reading a small data file: 500, quarantined, the proxy serves another replica', async () => {
    const o = await put('eio', Buffer.from('hello world'));
    const victim = o.devices[0]!;
    faults.inject({ op: 'readSync', path: `/devices/${victim}/objects/`, fault: { errno: 'EIO' } });
    const res = await o.direct(victim);
    expect(res.status).toBe(500);
    expectQuarantined(o, victim, /EIO/);
    for (let i = 0; i < 3; i++) {
      const got = await f.request('GET', '/v1/AUTH_t/c/eio');
      expect(got.status).toBe(200);
      expect(got.data.toString()).toBe('hello world');
    }
    faults.clear();
    await f.replicator.runOnce();
    const back = await o.direct(victim);
    expect(back.status).toBe(200);
    expect((await readBody(back.body)).toString()).toBe('hello world');
  });

  it('metadata that does not decode: GET and HEAD answer 500, not 404, and quarantine', async () => {
    const o = await put('corrupt', Buffer.from('some bytes'));
    const [first, second] = o.devices as [string, string];
    for (const device of [first, second])
      faults.inject({
        op: ['getXattrSync', 'readFileSync'],
        path: new RegExp(`/devices/${device}/objects/.*\\.data(\\.json)?$`),
        fault: { corrupt: '{"name": "/AUTH_t/c/corr' },
      });
    expect((await o.direct(first, 'GET')).status).toBe(500);
    expectQuarantined(o, first, /does not decode/);
    expect((await o.direct(second, 'HEAD')).status).toBe(500);
    expect(existsSync(o.quarantined(second))).toBe(true);
    const got = await f.request('GET', '/v1/AUTH_t/c/corrupt');
    expect(got.status).toBe(200);
    expect(got.data.toString()).toBe('some bytes');
  });

  it('a data file shorter than its metadata says: 500 and quarantined, never the short bytes', async () => {
    const o = await put('short', Buffer.from('0123456789'));
    const victim = o.devices[1]!;
    faults.inject({ op: 'readSync', path: `/devices/${victim}/objects/`, fault: { truncateAt: 4 } });
    const res = await o.direct(victim);
    expect(res.status).toBe(500);
    expectQuarantined(o, victim, /data is 4 bytes, metadata says 10/);
  });

  it('EIO while a large object streams: the body fails and the replica is quarantined', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 1);
    const o = await put('large', body);
    const victim = o.devices[2]!;
    faults.inject({ op: 'read', path: `/devices/${victim}/objects/`, fault: { errno: 'EIO' } });
    const res = await o.direct(victim);
    expect(res.status).toBe(200);
    await expect(readBody(res.body)).rejects.toThrow(/EIO/);
    expectQuarantined(o, victim, /EIO/);
  });

  it('a PUT over a replica whose metadata does not decode quarantines it and stores the new one', async () => {
    const o = await put('overwrite', Buffer.from('old'));
    faults.inject({
      op: ['getXattrSync', 'readFileSync'],
      path: /\.data(\.json)?$/,
      fault: { corrupt: 'garbage' },
      times: 3,
    });
    const res = await f.request('PUT', '/v1/AUTH_t/c/overwrite', {}, Buffer.from('new'));
    expect(res.status).toBe(201);
    faults.clear();
    expect((await f.request('GET', '/v1/AUTH_t/c/overwrite')).data.toString()).toBe('new');
    expect(o.devices.some((d) => existsSync(o.quarantined(d)))).toBe(true);
  });
});
