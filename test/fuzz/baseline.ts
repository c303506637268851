import { createHash, randomBytes } from 'node:crypto';
import { api, issueToken, must } from './cloud-api';
import type { FuzzCloud } from './fuzz-cloud';
import type { FuzzSession } from './fuzz-session';

const BASE = { user: 'fuzz-baseline-user', password: 'fuzz-baseline-pw', project: 'fuzz-baseline' };

/** What was stored before fuzzing, as it read back then. */
export interface Baseline {
  /** `what` → a fingerprint (md5 of data, or the JSON of a record). */
  readonly entries: Map<string, string>;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
// Records carry their own URL, whose port changes when a crashed cloud is started again.
const normalise = (json: unknown) =>
  JSON.stringify(json).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://cloud');

/** The fingerprints of every baseline object, image and record, read now. */
async function fingerprint(
  cloud: FuzzCloud,
  s: FuzzSession,
  refs: BaselineRefs,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const { token } = await issueToken(cloud, BASE.user, BASE.password, BASE.project);
  for (const path of refs.objects) {
    const a = await api(cloud, 'object-store', 'GET', path, { token });
    const meta = ['etag', 'content-length', 'content-type', 'x-object-meta-color']
      .map((h) => `${h}=${a.headers.get(h)}`)
      .join(' ');
    out.set(`object ${decodeURIComponent(path)}`, `${a.status} md5=${md5(a.body)} ${meta}`);
  }
  for (const path of refs.listings) {
    const a = await api(cloud, 'object-store', 'GET', `${path}?format=json`, { token });
    const rows = (a.json as { name: string; hash: string; bytes: number }[] | undefined)?.map((r) => [
      r.name,
      r.hash,
      r.bytes,
    ]);
    out.set(`listing ${decodeURIComponent(path)}`, `${a.status} ${JSON.stringify(rows)}`);
  }
  for (const id of refs.images) {
    const record = await api(cloud, 'image', 'GET', `/v2/images/${id}`, { token });
    out.set(`image ${id}`, `${record.status} ${normalise(record.json)}`);
    const data = await api(cloud, 'image', 'GET', `/v2/images/${id}/file`, { token });
    out.set(`image data ${id}`, `${data.status} md5=${md5(data.body)}`);
  }
  for (const path of refs.records) {
    const a = await api(cloud, 'identity', 'GET', path, { token: s.admin });
    out.set(`record ${path}`, `${a.status} ${normalise(a.json)}`);
  }
  return out;
}

/** Where the baseline lives. Never handed to the generators. */
export interface BaselineRefs {
  objects: string[];
  listings: string[];
  images: string[];
  records: string[];
}

/**
 * Stores the baseline in a project of its own that the fuzzer's generators never name: objects
 * (unicode names, empty, 64 KiB of random bytes) in two containers, two images with data, the
 * project and its user. Returns where it is and how it read back.
 */
export async function makeBaseline(
  cloud: FuzzCloud,
  s: FuzzSession,
): Promise<{ refs: BaselineRefs; baseline: Baseline }> {
  const project = (
    await must([201], cloud, 'identity', 'POST', '/v3/projects', {
      token: s.admin,
      body: { project: { name: BASE.project, description: 'kept é 日本' } },
    })
  ).json.project.id;
  const user = (
    await must([201], cloud, 'identity', 'POST', '/v3/users', {
      token: s.admin,
      body: {
        user: {
          name: BASE.user,
          password: BASE.password,
          default_project_id: project,
          email: 'b@example.org',
        },
      },
    })
  ).json.user.id;
  const member = (await must([200], cloud, 'identity', 'GET', '/v3/roles?name=member', { token: s.admin }))
    .json.roles[0].id;
  await must([204], cloud, 'identity', 'PUT', `/v3/projects/${project}/users/${user}/roles/${member}`, {
    token: s.admin,
  });
  const { token } = await issueToken(cloud, BASE.user, BASE.password, BASE.project);
  const account = `/v1/AUTH_${project}`;
  const containers = ['base', encodeURIComponent('base-日本 é')];
  const objects: string[] = [];
  for (const c of containers)
    await must([201, 202], cloud, 'object-store', 'PUT', `${account}/${c}`, { token });
  const names = ['plain.txt', 'dir/sub é/obj', '日本/x.html', 'empty', 'random.bin', '%25literal', 'a b+c'];
  for (const c of containers) {
    for (const name of names) {
      const body =
        name === 'empty'
          ? Buffer.alloc(0)
          : name === 'random.bin'
            ? randomBytes(65_536)
            : Buffer.from(`${c}/${name} ✓`);
      const path = `${account}/${c}/${name.split('/').map(encodeURIComponent).join('/')}`;
      await must([201], cloud, 'object-store', 'PUT', path, {
        token,
        body,
        headers: { 'x-object-meta-color': 'blue', 'content-type': 'application/x-baseline' },
      });
      objects.push(path);
    }
  }
  const images: string[] = [];
  for (const size of [37_000, 185_000]) {
    const created = await must([201], cloud, 'image', 'POST', '/v2/images', {
      token,
      body: {
        name: `baseline-${size}`,
        disk_format: 'raw',
        container_format: 'bare',
        tags: ['kept'],
        color: 'blue',
      },
    });
    await must([204], cloud, 'image', 'PUT', `/v2/images/${created.json.id}/file`, {
      token,
      body: randomBytes(size),
      headers: { 'content-type': 'application/octet-stream' },
    });
    images.push(created.json.id);
  }
  const refs = {
    objects,
    listings: containers.map((c) => `${account}/${c}`),
    images,
    records: [`/v3/projects/${project}`, `/v3/users/${user}`],
  };
  return { refs, baseline: { entries: await fingerprint(cloud, s, refs) } };
}

/** Every baseline entry that reads back differently now, as `what: before → after`. */
export async function baselineChanges(
  cloud: FuzzCloud,
  s: FuzzSession,
  refs: BaselineRefs,
  baseline: Baseline,
): Promise<string[]> {
  const now = await fingerprint(cloud, s, refs);
  const changes: string[] = [];
  for (const [what, before] of baseline.entries) {
    const after = now.get(what);
    if (after !== before) changes.push(`${what}: ${before.slice(0, 200)} → ${after?.slice(0, 200)}`);
  }
  return changes;
}
