// Prints block storage's figures (medians of several runs) against identity, object storage and
// block storage started in this process on ephemeral ports (SQLite; the `file` backend and the
// `fake` one side by side, backups to object storage). Clients share the process: figures are
// a floor.
//   empty 1 GiB `file` volume create → available (median of 10)
//   creates/s with the fake driver (4 clients, 3 runs of --seconds), and the process's CPU ms
//   per create → available (server and clients share the process: an upper bound)
//   GET /volumes/detail?limit=50 with 1,000 volumes: requests/s (autocannon, 3 runs) and CPU ms
//   per request (autocannon runs in this process too)
//   1 GiB backup to object storage: MB/s, beside the object store's own 1 GiB PUT in the same
//   run, and whether the restore is byte-identical (qemu-img compare)
//   npx tsx bench/block-storage.ts [--seconds 5] [--volumes 1000] [--backup-gb 1]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readdirSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { blockStorageService } from '@nimbus/block-storage';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, startTestCloud } from '@nimbus/testing';
import { median, runAutocannon } from './support/load';

const run = promisify(execFile);
const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const seconds = arg('--seconds', 5);
const volumeCount = arg('--volumes', 1000);
const backupGb = arg('--backup-gb', 1);
const GIB = 1024 ** 3;

async function main() {
  const cloud = await startTestCloud([identityService, objectStorageService, blockStorageService], {
    identity: { password_hash_rounds: 4 },
    DEFAULT: { log_level: 'error' },
    block_storage: {
      enabled_backends: ['file', 'fake'],
      backup_driver: 'object-store',
      pool_report_interval: 1,
      // Room for every volume the bench makes (thousands of 1 GB volumes at a few hundred a second).
      fake_capacity_gb: 1_000_000,
      quota_volumes: -1,
      quota_gigabytes: -1,
      quota_snapshots: -1,
      quota_backups: -1,
      quota_backup_gigabytes: -1,
    },
  });
  try {
    const { token, projectId } = await adminToken(cloud);
    const base = `${cloud.url('block-storage')}/v3/${projectId}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const waitFor = async (path: string, key: string, status: string) => {
      for (;;) {
        const s = (await call('GET', path))[key].status;
        if (s === status) return;
        if (String(s).startsWith('error')) {
          // The user message says why (no valid backend, driver failure…).
          const id = path.split('/').pop();
          const r = await fetch(`${base}/messages?resource_uuid=${id}`, {
            headers: { 'x-auth-token': token, 'openstack-api-version': 'volume 3.3' },
          });
          throw new Error(`${path} went ${s}: ${await r.text()}`);
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    for (const name of ['file', 'fake']) {
      await call('POST', '/types', { volume_type: { name, extra_specs: { volume_backend_name: name } } });
    }
    // Let both backends report their pools once.
    await new Promise((r) => setTimeout(r, 1500));

    const createTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const v = (await call('POST', '/volumes', { volume: { size: 1, volume_type: 'file' } })).volume;
      await waitFor(`/volumes/${v.id}`, 'volume', 'available');
      createTimes.push(performance.now() - t0);
    }
    console.log(`empty 1 GiB file volume create → available: median ${median(createTimes).toFixed(1)} ms`);

    const rates: number[] = [];
    const createCpu = process.cpuUsage();
    let created = 0;
    for (let r = 0; r < 3; r++) {
      let done = 0;
      const started = Date.now();
      const end = started + seconds * 1000;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() < end) {
            const v = (await call('POST', '/volumes', { volume: { size: 1, volume_type: 'fake' } })).volume;
            await waitFor(`/volumes/${v.id}`, 'volume', 'available');
            done++;
          }
        }),
      );
      rates.push(done / ((Date.now() - started) / 1000));
      created += done;
    }
    const createMs = cpuMs(process.cpuUsage(createCpu)) / created;
    console.log(
      `create → available with the fake driver, 4 clients: median ${median(rates).toFixed(0)}/s, ${createMs.toFixed(2)} CPU ms per create`,
    );

    const have = (await call('GET', '/volumes?limit=100000')).volumes.length;
    for (let i = have; i < volumeCount; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, volumeCount - i) }, () =>
          call('POST', '/volumes', { volume: { size: 1, volume_type: 'fake' } }),
        ),
      );
    }
    // Let the creates still in flight settle, so only the listing is measured.
    while ((await call('GET', '/volumes?status=creating&limit=1')).volumes.length) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const detailRps: number[] = [];
    const detailCpu = process.cpuUsage();
    let requests = 0;
    for (let r = 0; r < 3; r++) {
      const res = await runAutocannon({
        url: `${base}/volumes/detail?limit=50`,
        seconds,
        connections: 16,
        headers: { 'x-auth-token': token },
      });
      if (res.non2xx) throw new Error(`volumes/detail: ${res.non2xx} failed requests`);
      detailRps.push(res.rps);
      requests += res.total;
    }
    const detailMs = cpuMs(process.cpuUsage(detailCpu)) / requests;
    const total = (await call('GET', '/volumes?limit=100000')).volumes.length;
    console.log(
      `GET volumes/detail?limit=50 with ${total} volumes: median ${median(detailRps).toFixed(0)} requests/s, ${detailMs.toFixed(2)} CPU ms per request`,
    );

    // The object store's own PUT of the same number of bytes, from a file, in the user's account.
    const swift = `${cloud.url('object-store')}/v1/AUTH_${projectId}`;
    const sample = join(cloud.dataDir, 'bench-put.bin');
    const block = randomBytes(64 * 1024 * 1024);
    const fh = await open(sample, 'w');
    for (let o = 0; o < backupGb * GIB; o += block.length) await fh.write(block, 0, block.length, o);
    await fh.close();
    await fetch(`${swift}/bench`, { method: 'PUT', headers: { 'x-auth-token': token } });
    const t0 = performance.now();
    const put = await fetch(`${swift}/bench/one`, {
      method: 'PUT',
      headers: { 'x-auth-token': token, 'content-length': String(backupGb * GIB) },
      body: Readable.toWeb(createReadStream(sample)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (put.status !== 201) throw new Error(`object PUT: ${put.status}`);
    const putMbs = (backupGb * GIB) / 1e6 / ((performance.now() - t0) / 1000);

    const src = (await call('POST', '/volumes', { volume: { size: backupGb, volume_type: 'file' } })).volume;
    await waitFor(`/volumes/${src.id}`, 'volume', 'available');
    const srcFile = volumeFile(cloud.dataDir, src.id);
    const vf = await open(srcFile, 'r+');
    for (let o = 0; o < backupGb * GIB; o += block.length) await vf.write(block, 0, block.length, o);
    await vf.close();
    const b0 = performance.now();
    const backup = (await call('POST', '/backups', { backup: { volume_id: src.id, name: 'bench' } })).backup;
    await waitFor(`/backups/${backup.id}`, 'backup', 'available');
    const backupMbs = (backupGb * GIB) / 1e6 / ((performance.now() - b0) / 1000);
    const target = (await call('POST', '/volumes', { volume: { size: backupGb, volume_type: 'file' } }))
      .volume;
    await waitFor(`/volumes/${target.id}`, 'volume', 'available');
    const r0 = performance.now();
    await call('POST', `/backups/${backup.id}/restore`, { restore: { volume_id: target.id } });
    await waitFor(`/volumes/${target.id}`, 'volume', 'available');
    const restoreMbs = (backupGb * GIB) / 1e6 / ((performance.now() - r0) / 1000);
    const cmp = await run('qemu-img', [
      'compare',
      '-f',
      'raw',
      '-F',
      'raw',
      srcFile,
      volumeFile(cloud.dataDir, target.id),
    ]).then(
      (r) => r.stdout.includes('identical'),
      () => false,
    );
    console.log(
      `${backupGb} GiB backup to object storage: ${backupMbs.toFixed(0)} MB/s (${((100 * backupMbs) / putMbs).toFixed(0)} % of the object store's ${putMbs.toFixed(0)} MB/s PUT); restore ${restoreMbs.toFixed(0)} MB/s, byte-identical: ${cmp ? 'yes' : 'NO'}`,
    );
    await writeFile(sample, '');
  } finally {
    await cloud.stop();
  }
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

/** The file backend's file of a volume, found under the data directory. */
function volumeFile(dataDir: string, id: string): string {
  const walk = (dir: string): string | undefined => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        const hit = walk(p);
        if (hit) return hit;
      } else if (e.name.startsWith(`volume-${id}`)) return p;
    }
    return undefined;
  };
  const hit = walk(join(dataDir, 'block-storage'));
  if (!hit) throw new Error(`no file for volume ${id}`);
  return hit;
}

await main();
