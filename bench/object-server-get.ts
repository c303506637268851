// The object server's 4 KiB GET, in process (no HTTP, no proxy), so what the disk layer costs per
// request shows without the noise of sockets: CPU time per GET (user + system, which a busy
// machine disturbs far less than elapsed time) and requests/s, over 20,000 GETs of one object,
// medians of 7 runs, with the server's object cache on (the usual path for a small object read
// again) and off (every GET lists the hash directory, reads the metadata and the data file).
//   npx tsx bench/object-server-get.ts [--runs 7] [--gets 20000]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@nimbus/logging';
import { newRequest, readBody } from '../services/object-storage/src/common/swift-http';
import { StorageNodeClient } from '../services/object-storage/src/storage/node-client';
import { ObjectDisk } from '../services/object-storage/src/storage/object/disk-file';
import { probeMetadataIo } from '../services/object-storage/src/storage/object/metadata-io';
import { ObjectCache } from '../services/object-storage/src/storage/object/object-cache';
import { ObjectServer } from '../services/object-storage/src/storage/object/object-server';
import { SuffixHashIndex } from '../services/object-storage/src/storage/object/suffix-hashes';
import { median } from './support/load';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const runs = arg('--runs', 7);
const gets = arg('--gets', 20_000);
const root = mkdtempSync(join(tmpdir(), 'nimbus-bench-objget-'));
mkdirSync(join(root, 'sda'));
const salt = { prefix: '', suffix: 'bench' };

async function measure(cached: boolean): Promise<{ cpuMicros: number; perSecond: number }> {
  const disk = new ObjectDisk(root, probeMetadataIo(root), false);
  const server = new ObjectServer(
    disk,
    new SuffixHashIndex(disk, 604_800),
    salt,
    new StorageNodeClient(),
    silentLogger(),
    new ObjectCache(cached ? 64 * 1024 * 1024 : 0),
  );
  const path = '/sda/1/AUTH_bench/c/o';
  const body = Buffer.alloc(4096, 7);
  const put = await server.handle(
    newRequest('PUT', path, {
      headers: { 'x-timestamp': (Date.now() / 1000).toFixed(5), 'content-length': '4096' },
      body: (async function* () {
        yield body;
      })(),
    }),
  );
  if (put.status !== 201) throw new Error(`PUT answered ${put.status}`);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < gets; i++) {
    const res = await server.handle(newRequest('GET', path));
    if (res.status !== 200 || (await readBody(res.body)).length !== 4096)
      throw new Error(`GET ${res.status}`);
  }
  const used = process.cpuUsage(cpu);
  return {
    cpuMicros: (used.user + used.system) / gets,
    perSecond: gets / (Number(process.hrtime.bigint() - started) / 1e9),
  };
}

try {
  for (const cached of [true, false]) {
    const results: { cpuMicros: number; perSecond: number }[] = [];
    for (let r = 0; r < runs; r++) results.push(await measure(cached));
    const cpu = median(results.map((x) => x.cpuMicros));
    const rate = median(results.map((x) => x.perSecond));
    console.log(
      `4 KiB GET, object cache ${cached ? 'on ' : 'off'}: ${cpu.toFixed(1)} µs CPU each, ${rate.toFixed(0)} requests/s (medians of ${runs})`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
