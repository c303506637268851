// Prints the image service's figures against the all-in-one cloud, medians of several runs:
//   upload and download of a 1 GiB image next to a plain file copy (`cp`, then `sync`, as the
//   issue's figure for real Glance was measured) on the same disk,
//   the server's resident memory before and after, and the image list with 10,000 images
//   (p50 of a page of 25 with one client, requests/s with 8 clients). The server's CPU seconds per
//   GiB moved are printed too: a figure the machine's other load disturbs far less than a rate.
//   Each figure is measured after one unmeasured warm-up round of the same copy, upload and
//   download: on a virtual machine the first writes into never-used memory cost several times
//   more kernel time than later ones (measured here: 2 s against 0.2 s of system time per GiB
//   written), which would otherwise fall on whichever comes first. The figures of every run are
//   printed too, as the machine's other load makes single runs vary.
//   The transfers go through curl (support/curl.ts), timed from its start to the end of a sync.
//   npx tsx bench/image.ts [--runs 3] [--warmup 1] [--gib 1] [--images 10000]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl } from './support/curl';
import { median, runAutocannon } from './support/load';
import { type NimbusProcess, startNimbus } from './support/nimbus-process';

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const runs = arg('--runs', 3);
const gib = arg('--gib', 1);
const imageCount = arg('--images', 10_000);
const warmup = process.argv.includes('--warmup') ? arg('--warmup', 0) : 1;
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-image-'));
let nimbus: NimbusProcess | undefined;

async function main() {
  // Identity and image only, on ephemeral ports: runs beside a cloud holding the default ports.
  nimbus = await startNimbus(dataDir, [], { services: ['identity', 'image'] });
  const rssMb = nimbus.rssMb;
  const image = nimbus.endpoint('image');
  const { token } = await nimbus.adminToken();
  const headers = { 'x-auth-token': token, 'content-type': 'application/json' };

  const source = join(dataDir, 'source.raw');
  execFileSync('dd', ['if=/dev/urandom', `of=${source}`, 'bs=1M', `count=${gib * 1024}`, 'status=none']);
  const bytes = statSync(source).size;
  const mb = bytes / 1024 / 1024;
  const rssBefore = rssMb();
  const copy: number[] = [];
  const up: number[] = [];
  const down: number[] = [];
  const upCpu: number[] = [];
  const downCpu: number[] = [];
  let rssPeak = rssBefore;
  for (let i = -warmup; i < runs; i++) {
    const record = (figures: number[], value: number) => {
      if (i >= 0) figures.push(value);
    };
    let t = performance.now();
    execFileSync('cp', [source, join(dataDir, 'copy.raw')]);
    execFileSync('sync');
    record(copy, mb / ((performance.now() - t) / 1000));
    rmSync(join(dataDir, 'copy.raw'));

    const created = (await (
      await fetch(`${image}/v2/images`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: `bench-${i}`, disk_format: 'raw', container_format: 'bare' }),
      })
    ).json()) as { id: string };
    t = performance.now();
    let cpu = nimbus.cpuSeconds();
    curl(
      [
        '-X',
        'PUT',
        '-H',
        `x-auth-token: ${token}`,
        '-H',
        'content-type: application/octet-stream',
        '-T',
        source,
        '-o',
        '/dev/null',
        `${image}/v2/images/${created.id}/file`,
      ],
      'speed_upload',
      204,
    );
    execFileSync('sync');
    record(up, mb / ((performance.now() - t) / 1000));
    record(upCpu, (nimbus.cpuSeconds() - cpu) / gib);
    rssPeak = Math.max(rssPeak, rssMb());

    t = performance.now();
    cpu = nimbus.cpuSeconds();
    const n = curl(
      ['-H', `x-auth-token: ${token}`, '-o', '/dev/null', `${image}/v2/images/${created.id}/file`],
      'size_download',
      200,
    );
    if (n !== bytes) throw new Error(`download returned ${n} bytes`);
    record(down, mb / ((performance.now() - t) / 1000));
    record(downCpu, (nimbus.cpuSeconds() - cpu) / gib);
    rssPeak = Math.max(rssPeak, rssMb());
    await fetch(`${image}/v2/images/${created.id}`, { method: 'DELETE', headers });
  }

  for (let i = 0; i < imageCount; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, imageCount - i) }, (_, k) =>
        fetch(`${image}/v2/images`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            name: `list-${i + k}`,
            disk_format: 'raw',
            container_format: 'bare',
            tags: ['bench'],
          }),
        }).then((r) => r.text()),
      ),
    );
  }
  const p50: number[] = [];
  const rps: number[] = [];
  for (let i = 0; i < runs; i++) {
    const one = await runAutocannon({
      url: `${image}/v2/images`,
      seconds: 5,
      connections: 1,
      headers: { 'x-auth-token': token },
    });
    const eight = await runAutocannon({
      url: `${image}/v2/images`,
      seconds: 5,
      connections: 8,
      headers: { 'x-auth-token': token },
    });
    if (one.non2xx || eight.non2xx) throw new Error('image list answered errors');
    p50.push(one.p50);
    rps.push(eight.rps);
  }

  // What hashing alone costs here: every upload computes MD5 (checksum) and SHA-512 (os_hash_value)
  // of every byte, each one stream on one core, so MD5's rate bounds an upload's.
  const md5 = median(Array.from({ length: runs }, () => hashSeconds('md5')));
  const sha512 = median(Array.from({ length: runs }, () => hashSeconds('sha512')));

  const c = median(copy);
  process.stdout.write(
    [
      `file copy + sync:        ${c.toFixed(0)} MiB/s (${gib} GiB)`,
      `upload (PUT /file):      ${median(up).toFixed(0)} MiB/s = ${((median(up) / c) * 100).toFixed(0)}% of the copy`,
      `download (GET /file):    ${median(down).toFixed(0)} MiB/s = ${((median(down) / c) * 100).toFixed(0)}% of the copy`,
      `each run (MiB/s):        copy ${list(copy)}; upload ${list(up)}; download ${list(down)}`,
      `server CPU per GiB:      ${median(upCpu).toFixed(2)} s uploading, ${median(downCpu).toFixed(2)} s downloading`,
      `hashing alone per GiB:   MD5 ${md5.toFixed(2)} s, SHA-512 ${sha512.toFixed(2)} s (one core each): no upload passes ${(1024 / md5).toFixed(0)} MiB/s = ${((1024 / md5 / c) * 100).toFixed(0)}% of the copy`,
      `server RSS:              ${rssBefore.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB peak during transfers`,
      `image list (${imageCount}):    p50 ${median(p50)} ms per page of 25 (one client), ${Math.round(median(rps))} requests/s (8 clients)`,
      '',
    ].join('\n'),
  );
}

/** Seconds one core takes to hash a GiB with `algorithm`, in 1 MiB updates. */
function hashSeconds(algorithm: string): number {
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const t = performance.now();
  const hash = createHash(algorithm);
  for (let i = 0; i < 1024; i++) hash.update(chunk);
  hash.digest();
  return (performance.now() - t) / 1000;
}

const list = (figures: number[]) => figures.map((f) => f.toFixed(0)).join(', ');

main()
  .catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    if (!nimbus) return void rmSync(dataDir, { recursive: true, force: true });
    nimbus.child.kill('SIGTERM');
    nimbus.child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  });
