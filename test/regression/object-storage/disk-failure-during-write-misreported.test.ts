// Regression: disk failures on the write path were reported as something else or failed a
// write that had succeeded. ENOSPC while an upload was written answered 499 (the client's
// fault) instead of 507, so the proxy did not know the device was full; a suffix invalidation
// that could not be recorded (`hashes.invalid`) threw after the object was durably written, and
// a `hashes.json` that could not be written lost the changed suffixes for the next pass.
import { FaultInjectingDiskIo } from '@nimbus/disk-faults';
import { hashPath, newRequest } from '@nimbus/object-storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuffixHashIndex } from '../../../services/object-storage/src/storage/object/suffix-hashes';
import { type ClusterFixture, startClusterFixture } from '../../object-storage/cluster-fixture';
import { type LogLine, recordingLogger, WARN } from '../../object-storage/recording-logger';

describe('disk failures on the object write path', () => {
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

  const where = (name: string) => {
    const { part, nodes } = f.cluster.rings.object.nodes('AUTH_t', 'c', name);
    const hash = hashPath(f.cluster.salt, 'AUTH_t', 'c', name).toString('hex');
    return { part, device: nodes[0]!.device, suffix: hash.slice(-3) };
  };
  const directPut = (device: string, part: number, name: string, body: Buffer) =>
    f.cluster.node.objectServer.handle(
      newRequest('PUT', `/${device}/${part}/AUTH_t/c/${name}`, {
        headers: { 'x-timestamp': (Date.now() / 1000).toFixed(5), 'content-length': String(body.length) },
        body: (async function* () {
          yield body;
        })(),
      }),
    );

  it('ENOSPC while writing an upload answers 507, and the proxy still stores the object', async () => {
    const { part, device } = where('full');
    faults.inject({
      op: ['writevSync', 'writev'],
      path: `/devices/${device}/tmp/`,
      fault: { errno: 'ENOSPC' },
    });
    expect((await directPut(device, part, 'full', Buffer.alloc(1000, 1))).status).toBe(507);
    expect(lines.find((l) => l.level === WARN && l.err?.code === 'ENOSPC')).toBeDefined();
    const res = await f.request('PUT', '/v1/AUTH_t/c/full', {}, Buffer.alloc(1000, 2));
    expect(res.status).toBe(201);
    expect((await f.request('GET', '/v1/AUTH_t/c/full')).data).toEqual(Buffer.alloc(1000, 2));
  });

  it('a suffix change that cannot be recorded does not fail the written object, and is still rehashed', async () => {
    const { part, device, suffix } = where('recorded');
    faults.inject({ op: 'appendFileSync', path: 'hashes.invalid', fault: { errno: 'ENOSPC' } });
    expect((await directPut(device, part, 'recorded', Buffer.from('abc'))).status).toBe(201);
    expect(lines.find((l) => l.level === WARN && l.err?.code === 'ENOSPC')).toBeDefined();
    faults.clear();
    expect(Object.keys(f.cluster.node.hashes.get(device, part))).toContain(suffix);
  });

  it('hashes.json that cannot be written keeps the changed suffixes for the next calculation', async () => {
    // Two objects in one partition of one device, in different suffixes.
    const first = where('a0');
    const secondName = Array.from({ length: 5000 }, (_, i) => `a${i + 1}`).find((n) => {
      const w = where(n);
      return w.part === first.part && w.device === first.device && w.suffix !== first.suffix;
    })!;
    const second = where(secondName);
    expect((await directPut(first.device, first.part, 'a0', Buffer.from('1'))).status).toBe(201);
    expect(Object.keys(f.cluster.node.hashes.get(first.device, first.part))).toEqual([first.suffix]);
    expect((await directPut(first.device, first.part, secondName, Buffer.from('2'))).status).toBe(201);
    faults.inject({ op: 'writeFileSync', path: 'hashes.json.tmp', fault: { errno: 'EIO' } });
    expect(Object.keys(f.cluster.node.hashes.get(first.device, first.part)).sort()).toEqual(
      [first.suffix, second.suffix].sort(),
    );
    expect(lines.find((l) => l.level === WARN && l.err?.code === 'EIO')).toBeDefined();
    faults.clear();
    // As after a restart: a new index knows only what is on disk.
    const fresh = new SuffixHashIndex(f.cluster.node.disk, 604_800);
    expect(Object.keys(fresh.get(first.device, first.part)).sort()).toEqual(
      [first.suffix, second.suffix].sort(),
    );
  });
});
