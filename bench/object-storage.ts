// Prints object storage's figures against the all-in-one cloud (3 devices, 3 replicas, fsync on),
// medians of several runs, each next to a plain baseline measured in the same run on the same disk:
//   4 KiB PUT/s (16 clients) against a plain loop writing and fsyncing three 4 KiB files per object;
//   4 KiB GET/s (32 connections, wrk: bash scripts/setup.sh --bench);
//   1 GiB PUT MB/s against a plain 1 GiB write + fsync, and against three such writes at once
//   (what three replicas on one disk can at best do);
//   1 GiB GET MB/s against a plain read of a file, both cold (the files dropped from the page
//   cache first, read from the disk) and warm (page cached);
//   the process's CPU while idle for a minute with many containers (every daemon running).
// The cloud runs identity and object storage only, on ephemeral ports (not 5000/8080).
//   npx tsx bench/object-storage.ts [--runs 3] [--gib 1] [--containers 2000] [--idle 60]
//                                   [--only small|large|idle[,...]]
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { curl } from './support/curl';
import { median, runWrk } from './support/load';
import { type NimbusProcess, startNimbus } from './support/nimbus-process';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const runs = arg('--runs', 3);
const gib = arg('--gib', 1);
const containerCount = arg('--containers', 2000);
const idleSeconds = arg('--idle', 60);
const onlyAt = process.argv.indexOf('--only');
const parts = new Set(onlyAt > 0 ? process.argv[onlyAt + 1]!.split(',') : ['small', 'large', 'idle']);
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-swift-'));
const conf = join(dataDir, 'nimbus.conf');
// Replicator, updater, expirer and container sync every 5 s, so the idle figure covers many of
// their passes; the auditor keeps its default (a rate-limited pass every 30 minutes).
execFileSync('sh', [
  '-c',
  `printf '[object_storage_daemons]\\nreplicator_interval = 5\\nupdater_interval = 5\\nexpirer_interval = 5\\ncontainer_sync_interval = 5\\n' > ${conf}`,
]);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let nimbus: NimbusProcess | undefined;

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; bytes: number };

function call(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer | NodeJS.ReadableStream,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while this process was blocked (the plain loop and
      // curl run synchronously): again, on another socket (a Buffer body can be sent again).
      if (
        req.reusedSocket &&
        (err.code === 'ECONNRESET' || err.code === 'EPIPE') &&
        (!body || Buffer.isBuffer(body))
      )
        call(method, url, headers, body).then(resolve, reject);
      else reject(err);
    });
    if (body && !Buffer.isBuffer(body)) pipeline(body, req).catch(reject);
    else req.end(body);
  });
}

/** Objects/s of a loop writing and fsyncing three 4 KiB files per object, as three replicas would. */
function plainLoop(dir: string, seconds: number): number {
  const data = Buffer.alloc(4096, 7);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let r = 0; r < 3; r++) {
      const fd = openSync(join(dir, `plain-${n}-${r}`), 'w');
      writeSync(fd, data);
      fsyncSync(fd);
      closeSync(fd);
    }
    n++;
  }
  return n / seconds;
}

async function putLoop(url: string, token: string, seconds: number, prefix: string): Promise<number> {
  const data = Buffer.alloc(4096, 9);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const r = await call(
          'PUT',
          `${url}/bench/${prefix}-${w}-${i}`,
          { 'x-auth-token': token, 'content-length': '4096' },
          data,
        );
        if (r.status === 201) n++;
        else failed++;
      }
    }),
  );
  if (failed) throw new Error(`${failed} PUTs failed`);
  return n / seconds;
}

/** Drops files from the page cache, so the next read of them comes from the disk. */
function dropCache(files: string[]): void {
  for (const f of files) execFileSync('dd', [`if=${f}`, 'iflag=nocache', 'count=0', 'status=none']);
}

/** The large object files (replicas) under the cloud's devices; the 4 KiB ones are left alone. */
function largeDataFiles(): string[] {
  const devices = join(dataDir, 'object-storage', 'devices');
  return (readdirSync(devices, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.data'))
    .map((f) => join(devices, f))
    .filter((f) => statSync(f).size > 1024 * 1024);
}

/** MB/s of writing `count` files of `gib` GiB at once, each with dd and an fsync at its end. */
function plainWrites(dir: string, count: number): number {
  const t = performance.now();
  const files = Array.from({ length: count }, (_, i) => join(dir, `plain-${i}.raw`));
  execFileSync('sh', [
    '-c',
    `${files.map((f) => `dd if=/dev/zero of=${f} bs=1M count=${gib * 1024} conv=fsync status=none &`).join(' ')} wait`,
  ]);
  const seconds = (performance.now() - t) / 1000;
  const bytes = statSync(files[0]!).size;
  for (const f of files.slice(1)) rmSync(f);
  return bytes / 1e6 / seconds;
}

async function main() {
  nimbus = await startNimbus(dataDir, ['--config-file', conf], { services: ['identity', 'object-store'] });
  const { token, projectId } = await nimbus.adminToken();
  const account = `${nimbus.endpoint('object-store')}/v1/AUTH_${projectId}`;
  const h = { 'x-auth-token': token };
  if ((await call('PUT', `${account}/bench`, h)).status >= 300) throw new Error('container PUT failed');
  const plainDir = join(dataDir, 'plain');
  execFileSync('mkdir', ['-p', plainDir]);

  const plain: number[] = [];
  const puts: number[] = [];
  const gets: number[] = [];
  for (let r = 0; parts.has('small') && r < runs; r++) {
    plain.push(plainLoop(plainDir, 3));
    puts.push(await putLoop(account, token, 5, `run${r}`));
    const obj = `${account}/bench/run${r}-0-0`;
    const got = await runWrk({ url: obj, seconds: 5, connections: 32, headers: h });
    if (got.non2xx) throw new Error(`${got.non2xx} GETs failed`);
    gets.push(got.rps);
  }
  rmSync(plainDir, { recursive: true, force: true });

  const source = join(dataDir, 'plain-0.raw');
  const get = () =>
    curl(['-H', `x-auth-token: ${token}`, '-o', '/dev/null', `${account}/bench/big`], 'speed_download', 200) /
    1e6;
  const read = () => curl(['-o', '/dev/null', `file://${source}`]) / 1e6;
  const writeBw: number[] = [];
  const write3Bw: number[] = [];
  const putBw: number[] = [];
  const warmReadBw: number[] = [];
  const coldReadBw: number[] = [];
  const warmGetBw: number[] = [];
  const coldGetBw: number[] = [];
  for (let r = 0; parts.has('large') && r < runs; r++) {
    write3Bw.push(plainWrites(dataDir, 3));
    writeBw.push(plainWrites(dataDir, 1));
    // The large transfers and the plain reads go through curl (support/curl.ts).
    // Just written, the file is in the page cache: a warm read first, then a cold one.
    warmReadBw.push(read());
    dropCache([source]);
    coldReadBw.push(read());
    putBw.push(
      curl(
        [
          '-X',
          'PUT',
          '-H',
          `x-auth-token: ${token}`,
          '-T',
          source,
          '-o',
          '/dev/null',
          `${account}/bench/big`,
        ],
        'speed_upload',
        201,
      ) / 1e6,
    );
    // A large object leaves the page cache once stored (as upstream's drop_buffer_cache): read
    // every replica first (a GET reads any one), so the warm GET reads from the page cache too.
    for (const f of largeDataFiles()) curl(['-o', '/dev/null', `file://${f}`]);
    warmGetBw.push(get());
    dropCache([source, ...largeDataFiles()]);
    coldGetBw.push(get());
  }
  rmSync(source, { force: true });

  for (let i = 0; parts.has('idle') && i < containerCount; i += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, containerCount - i) }, async (_, j) => {
        await call('PUT', `${account}/idle-${i + j}`, h);
        await call('PUT', `${account}/idle-${i + j}/o`, { ...h, 'content-length': '1' }, Buffer.from('x'));
      }),
    );
  }
  let idleCpu = 0;
  if (parts.has('idle')) {
    await sleep(10_000);
    const before = nimbus.cpuSeconds();
    await sleep(idleSeconds * 1000);
    idleCpu = ((nimbus.cpuSeconds() - before) / idleSeconds) * 100;
  }

  const p = median(plain);
  const w = median(writeBw);
  const w3 = median(write3Bw);
  const put = median(putBw);
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  const readLines = (kind: string, plainBw: number[], getBw: number[]) => {
    const rd = median(plainBw);
    return [
      `plain ${gib} GiB read, ${kind}:`.padEnd(45) + `${rd.toFixed(0)} MB/s`,
      `${gib} GiB GET, ${kind}:`.padEnd(45) +
        `${median(getBw).toFixed(0)} MB/s = ${pct(median(getBw), rd)} of the plain read`,
    ];
  };
  const small = parts.has('small');
  const large = parts.has('large');
  console.log(
    [
      `object storage, 3 devices, 3 replicas, fsync on (medians of ${runs} runs)`,
      small && `plain loop, 3 fsynced 4 KiB files per object: ${p.toFixed(0)} objects/s`,
      small &&
        `4 KiB PUT (16 clients):                      ${median(puts).toFixed(0)} objects/s = ${((median(puts) / p) * 100).toFixed(0)}% of the plain loop`,
      small && `4 KiB GET (32 connections, wrk):             ${median(gets).toFixed(0)} requests/s`,
      large && `plain ${gib} GiB write + fsync:`.padEnd(45) + `${w.toFixed(0)} MB/s`,
      large &&
        `3 plain ${gib} GiB writes + fsync at once:`.padEnd(45) +
          `${w3.toFixed(0)} MB/s each (${(3 * w3).toFixed(0)} MB/s in all)`,
      large &&
        `${gib} GiB PUT:`.padEnd(45) +
          `${put.toFixed(0)} MB/s = ${pct(put, w)} of the plain write, ${pct(put, w3)} of 3 at once`,
      ...(large ? readLines('cold (from disk)', coldReadBw, coldGetBw) : []),
      ...(large ? readLines('warm (page cache)', warmReadBw, warmGetBw) : []),
      parts.has('idle') &&
        `idle CPU with ${containerCount} containers, replicator/updater/expirer/sync every 5 s: ${idleCpu.toFixed(2)}% of one core over ${idleSeconds} s`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    agent.destroy();
    if (!nimbus) return void rmSync(dataDir, { recursive: true, force: true });
    nimbus.child.kill('SIGTERM');
    nimbus.child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  });
