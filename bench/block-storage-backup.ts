// Block-storage driver figures, medians of runs:
// - create time of an empty 1 GiB volume with the `file` driver (raw, sparse) and (qcow2);
// - the object store's own rate for one 1 GiB PUT (streamed from a file of random bytes), then a
//   1 GiB backup of a volume holding the same bytes through the object-store backup driver
//   (50 MiB objects, zlib, SHA-256 per 32 KiB block, upstream's defaults) in the same run, and
//   the ratio of the two; also a 1 GiB empty (sparse) volume's backup;
// - the restore of that backup into a fresh volume file, checked with `qemu-img compare`.
//   npx tsx bench/block-storage-backup.ts [--runs 3] [--creates 25] [--only create|backup]

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ObjectStoreClient, Session } from '@nimbus/clients';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, startTestCloud } from '@nimbus/testing';
import { ObjectStoreBackupDriver } from '../services/block-storage/src/backup-drivers/object-store/object-store-backup-driver';
import { FileVolumeDriver } from '../services/block-storage/src/drivers/file/file-volume-driver';
import { median } from './support/load';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs')) || 3;
const creates = Number(arg('--creates')) || 25;
const only = arg('--only');
const GIB = 1024 ** 3;
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function createTimes(work: string, format: 'raw' | 'qcow2'): Promise<number> {
  const driver = new FileVolumeDriver({
    host: `bench@${format}`,
    backendName: format,
    dataDir: work,
    options: { volume_format: format },
  });
  await driver.init();
  const times: number[] = [];
  for (let i = 0; i < creates; i++) {
    const v = { id: randomUUID(), sizeGb: 1 };
    const started = performance.now();
    await driver.createVolume(v);
    times.push(performance.now() - started);
    await driver.deleteVolume(v);
  }
  return median(times);
}

/** A 1 GiB file of random bytes, written in 64 MiB pieces. */
async function randomFile(path: string): Promise<void> {
  const { randomFillSync } = await import('node:crypto');
  const handle = await open(path, 'w');
  const piece = Buffer.alloc(64 * 1024 * 1024);
  for (let at = 0; at < GIB; at += piece.length)
    await handle.write(randomFillSync(piece), 0, piece.length, at);
  await handle.close();
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'nimbus-bench-bs-'));
  const cloud = await startTestCloud([identityService, objectStorageService], {
    identity: { password_hash_rounds: 4 },
  });
  try {
    if (only !== 'backup') {
      console.log(
        `file driver: empty 1 GiB volume create, raw:   median ${(await createTimes(work, 'raw')).toFixed(2)} ms (${creates} creates)`,
      );
      console.log(
        `file driver: empty 1 GiB volume create, qcow2: median ${(await createTimes(work, 'qcow2')).toFixed(2)} ms (${creates} creates)`,
      );
    }
    if (only === 'create') return;

    const { token, projectId } = await adminToken(cloud);
    const session = new Session({
      authUrl: `${cloud.url('identity')}/v3`,
      auth: { kind: 'token', token, projectId },
    });
    const client = new ObjectStoreClient(session.endpointSource('object-store'));
    await client.ensureContainer('bench');
    const volume = join(work, 'volume.raw');
    await randomFile(volume);
    const empty = join(work, 'empty.raw');
    await writeFile(empty, '');
    await truncate(empty, GIB);
    const driver = new ObjectStoreBackupDriver({ host: 'bench', dataDir: work, options: {} });
    await driver.init();

    const loopP99Ms: number[] = [];
    const putMs: number[] = [];
    const backupMs: number[] = [];
    const emptyMs: number[] = [];
    const restoreMs: number[] = [];
    let identical = true;
    for (let run = 0; run < runs; run++) {
      let started = performance.now();
      await client.putObject('bench', `put-${run}`, createReadStream(volume, { highWaterMark: 1 << 20 }));
      putMs.push(performance.now() - started);
      await client.deleteObject('bench', `put-${run}`);

      const backup = { id: randomUUID(), volumeId: randomUUID(), availabilityZone: 'nova' };
      started = performance.now();
      // A fresh histogram per backup: a re-enabled one counts the pause since as one huge delay.
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const result = await driver.backup({
        backup,
        source: { path: volume, sizeBytes: GIB },
        objectStore: client,
      });
      backupMs.push(performance.now() - started);
      loopDelay.disable();
      loopP99Ms.push(loopDelay.percentile(99) / 1e6);
      const record = { ...backup, container: result.container, serviceMetadata: result.serviceMetadata };

      const target = join(work, 'restored.raw');
      await writeFile(target, '');
      await truncate(target, GIB);
      started = performance.now();
      await driver.restore({
        backup: record,
        chain: [record],
        target: { path: target, sizeBytes: GIB },
        objectStore: client,
      });
      restoreMs.push(performance.now() - started);
      const compare = execFileSync('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', volume, target], {
        encoding: 'utf8',
      });
      identical &&= /identical/.test(compare);
      await rm(target, { force: true });
      await driver.delete({ backup: record, objectStore: client });

      const sparse = { id: randomUUID(), volumeId: randomUUID(), availabilityZone: 'nova' };
      started = performance.now();
      const r2 = await driver.backup({
        backup: sparse,
        source: { path: empty, sizeBytes: GIB },
        objectStore: client,
      });
      emptyMs.push(performance.now() - started);
      await driver.delete({
        backup: { ...sparse, container: r2.container, serviceMetadata: r2.serviceMetadata },
        objectStore: client,
      });
    }
    const put = mbps(GIB, median(putMs));
    const backup = mbps(GIB, median(backupMs));
    console.log(
      `object store: 1 GiB PUT                        median ${put.toFixed(1)} MB/s (${runs} runs)`,
    );
    console.log(
      `object-store backup driver: 1 GiB random volume median ${backup.toFixed(1)} MB/s = ${((backup / put) * 100).toFixed(0)} % of the PUT rate`,
    );
    console.log(
      `event loop delay p99 during a random-volume backup (in-process object store included): median ${median(loopP99Ms).toFixed(1)} ms`,
    );
    console.log(
      `object-store backup driver: 1 GiB empty volume  median ${mbps(GIB, median(emptyMs)).toFixed(1)} MB/s`,
    );
    console.log(
      `object-store restore: 1 GiB random volume       median ${mbps(GIB, median(restoreMs)).toFixed(1)} MB/s, byte-identical (qemu-img compare): ${identical ? 'yes' : 'NO'}`,
    );
  } finally {
    await cloud.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
