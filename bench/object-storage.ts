// Prints object storage's figures against the all-in-one cloud (3 devices, 3 replicas, fsync on),
// medians of several runs, each next to a plain baseline measured in the same run on the same disk:
//   4 KiB PUT/s (16 clients) against a plain loop writing and fsyncing three 4 KiB files per object;
//   4 KiB GET/s (32 connections, autocannon);
//   1 GiB PUT and GET MB/s against a plain 1 GiB write + fsync and a plain read of that file;
//   the process's CPU while idle for a minute with many containers (every daemon running).
//   npx tsx bench/object-storage.ts [--runs 3] [--gib 1] [--containers 2000] [--idle 60]
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, runAutocannon } from './support/load';
import { type NimbusProcess, startNimbus } from './support/nimbus-process';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const runs = arg('--runs', 3);
const gib = arg('--gib', 1);
const containerCount = arg('--containers', 2000);
const idleSeconds = arg('--idle', 60);
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

function call(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer | NodeJS.ReadableStream,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    if (body && !Buffer.isBuffer(body)) pipeline(body, req).catch(reject);
    else req.end(body);
  });
}

/** Bytes/s curl reports for one transfer (checking the HTTP status when given). */
function curl(args: string[], speed = 'speed_download', status?: number): number {
  const out = execFileSync('curl', ['-s', '-w', `%{http_code} %{${speed}}`, ...args]).toString().trim().split(' ');
  if (status !== undefined && Number(out[0]) !== status) throw new Error(`curl ${args.at(-1)}: HTTP ${out[0]}`);
  return Number(out[1]);
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

async function main() {
  nimbus = await startNimbus(dataDir, ['--config-file', conf]);
  const { token, projectId } = await nimbus.adminToken();
  const account = `${nimbus.endpoint('object-store')}/v1/AUTH_${projectId}`;
  const h = { 'x-auth-token': token };
  if ((await call('PUT', `${account}/bench`, h)).status >= 300) throw new Error('container PUT failed');
  const plainDir = join(dataDir, 'plain');
  execFileSync('mkdir', ['-p', plainDir]);

  const plain: number[] = [];
  const puts: number[] = [];
  const gets: number[] = [];
  for (let r = 0; r < runs; r++) {
    plain.push(plainLoop(plainDir, 3));
    puts.push(await putLoop(account, token, 5, `run${r}`));
    const obj = `${account}/bench/run${r}-0-0`;
    gets.push((await runAutocannon({ url: obj, seconds: 5, connections: 32, headers: h })).rps);
  }
  rmSync(plainDir, { recursive: true, force: true });

  const source = join(dataDir, 'big.raw');
  const writeBw: number[] = [];
  const readBw: number[] = [];
  const putBw: number[] = [];
  const getBw: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    execFileSync('dd', [
      'if=/dev/zero',
      `of=${source}`,
      'bs=1M',
      `count=${gib * 1024}`,
      'conv=fsync',
      'status=none',
    ]);
    const bytes = statSync(source).size;
    writeBw.push(bytes / 1e6 / ((performance.now() - t) / 1000));
    // The large transfers and the plain read go through curl, a client lean enough not to be
    // the bottleneck (Node's own client tops out near 250 MB/s on this kind of machine).
    readBw.push(curl(['-o', '/dev/null', `file://${source}`]) / 1e6);
    putBw.push(curl(['-X', 'PUT', '-H', `x-auth-token: ${token}`, '-T', source, '-o', '/dev/null', `${account}/bench/big`], 'speed_upload', 201) / 1e6);
    getBw.push(curl(['-H', `x-auth-token: ${token}`, '-o', '/dev/null', `${account}/bench/big`], 'speed_download', 200) / 1e6);
  }
  rmSync(source);

  for (let i = 0; i < containerCount; i += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, containerCount - i) }, async (_, j) => {
        await call('PUT', `${account}/idle-${i + j}`, h);
        await call('PUT', `${account}/idle-${i + j}/o`, { ...h, 'content-length': '1' }, Buffer.from('x'));
      }),
    );
  }
  await sleep(10_000);
  const before = nimbus.cpuSeconds();
  await sleep(idleSeconds * 1000);
  const idleCpu = ((nimbus.cpuSeconds() - before) / idleSeconds) * 100;

  const p = median(plain);
  const w = median(writeBw);
  const rd = median(readBw);
  console.log(
    [
      `object storage, 3 devices, 3 replicas, fsync on (medians of ${runs} runs)`,
      `plain loop, 3 fsynced 4 KiB files per object: ${p.toFixed(0)} objects/s`,
      `4 KiB PUT (16 clients):                      ${median(puts).toFixed(0)} objects/s = ${((median(puts) / p) * 100).toFixed(0)}% of the plain loop`,
      `4 KiB GET (32 connections):                  ${median(gets).toFixed(0)} requests/s`,
      `plain ${gib} GiB write + fsync:               ${w.toFixed(0)} MB/s`,
      `${gib} GiB PUT:                               ${median(putBw).toFixed(0)} MB/s = ${((median(putBw) / w) * 100).toFixed(0)}% of the plain write`,
      `plain ${gib} GiB read:                        ${rd.toFixed(0)} MB/s`,
      `${gib} GiB GET:                               ${median(getBw).toFixed(0)} MB/s = ${((median(getBw) / rd) * 100).toFixed(0)}% of the plain read`,
      `idle CPU with ${containerCount} containers, replicator/updater/expirer/sync every 5 s: ${idleCpu.toFixed(2)}% of one core over ${idleSeconds} s`,
    ].join('\n'),
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
