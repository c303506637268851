// Regression: the object updater deleted an async pending update it could not read (an I/O
// error, or contents that do not decode) as if it had been delivered, so the container listing
// never learnt of the object. Now a file that cannot be read stays for the next pass, one that
// does not decode is quarantined (`<device>/quarantined/objects/<name>`, as Swift's updater), and
// each is logged with its cause.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultInjectingDiskIo } from '@nimbus/disk-faults';
import { hashPath, readBody } from '@nimbus/object-storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClusterFixture, startClusterFixture } from '../../object-storage/cluster-fixture';
import { ERROR, type LogLine, recordingLogger, WARN } from '../../object-storage/recording-logger';

describe('an async pending update the updater cannot read', () => {
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

  /** Leaves a pending listing update for object `name` on device d1, as an object server would. */
  function leavePending(name: string, contents?: string): string {
    const hash = hashPath(f.cluster.salt, 'AUTH_t', 'c', name).toString('hex');
    const { part, nodes } = f.cluster.rings.container.nodes('AUTH_t', 'c');
    const node = nodes[0]!;
    const ts = (Date.now() / 1000).toFixed(5);
    const update = {
      op: 'PUT',
      account: 'AUTH_t',
      container: 'c',
      obj: name,
      headers: { 'x-timestamp': ts, 'x-size': '3', 'x-content-type': 'text/plain', 'x-etag': 'e' },
      node: { ip: node.ip, port: node.port, device: node.device },
      part: String(part),
    };
    const dir = join(f.dir, 'devices', 'd1', 'async_pending', hash.slice(-3));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${hash}-${ts}-${node.device}`);
    writeFileSync(file, contents ?? JSON.stringify(update));
    return file;
  }

  /** The listing of the container replica the pending updates are for (the proxy may read another). */
  const listing = async () => {
    const { part, nodes } = f.cluster.rings.container.nodes('AUTH_t', 'c');
    const res = await f.cluster.client.request({ ...nodes[0]! }, part, 'GET', '/AUTH_t/c', {});
    return (await readBody(res.body)).toString();
  };

  it('an I/O error leaves the file for the next pass, which delivers it', async () => {
    const file = leavePending('late');
    faults.inject({ op: 'readFile', path: '/async_pending/', fault: { errno: 'EIO' } });
    const first = await f.updater.runOnce();
    expect(first).toMatchObject({ replayed: 0, failed: 1 });
    expect(existsSync(file)).toBe(true);
    const logged = lines.find((l) => l.level === WARN && /left for the next pass/.test(l.msg));
    expect(logged?.err?.code).toBe('EIO');
    expect(await listing()).not.toContain('late');

    faults.clear();
    expect(await f.updater.runOnce()).toMatchObject({ replayed: 1, failed: 0 });
    expect(existsSync(file)).toBe(false);
    expect(await listing()).toContain('late');
  });

  it('contents that do not decode are quarantined, not deleted', async () => {
    const file = leavePending('mangled', '{"op": "PUT", "acco');
    const stats = await f.updater.runOnce();
    expect(stats).toMatchObject({ replayed: 0, quarantined: 1 });
    expect(existsSync(file)).toBe(false);
    const kept = join(f.dir, 'devices', 'd1', 'quarantined', 'objects', file.split('/').pop()!);
    expect(readFileSync(kept, 'utf8')).toBe('{"op": "PUT", "acco');
    const logged = lines.find((l) => l.level === ERROR && /quarantined/.test(l.msg));
    expect(logged?.err?.message).toMatch(/does not decode/);
  });
});
