import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveProcess, stopProcesses } from '@nimbus/testing';
import { connect } from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);

// Issue 12: identity, image and object storage as three `nimbus serve` processes over RabbitMQ
// and PostgreSQL (a fresh database per service and run), driven by the real `openstack` CLI; a
// Python oslo.messaging listener, a fourth process, receives the notifications they send.
const AMQP_URL = process.env.NIMBUS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PG_SERVER = process.env.NIMBUS_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const root = fileURLToPath(new URL('../..', import.meta.url));
const nimbus = join(root, 'apps/nimbus/bin/nimbus.mjs');
const listenerScript = fileURLToPath(new URL('./oslo-notification-listener.py', import.meta.url));
const runId = randomBytes(4).toString('hex');
// Every process of this run on its own loopback address, so upstream's default ports are free.
const bindHost = `127.${64 + (randomBytes(1)[0]! % 64)}.${randomBytes(1)[0]!}.${1 + (randomBytes(1)[0]! % 250)}`;
const topic = `notifications_scale_${runId}`;
const priorities = ['audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample'];
const databases = ['identity', 'image', 'objects'].map((s) => `nimbus_t_scale_${runId}_${s}`);

interface Received {
  priority: string;
  publisher_id: string;
  event_type: string;
  payload: Record<string, any>;
}

/**
 * The notifications on one line the listener printed. Its threads print at once now and then, so
 * a line may hold two objects run together.
 */
function parseLines(line: string): Received[] {
  try {
    return [JSON.parse(line) as Received];
  } catch {
    return line.split(/(?<=\})(?=\{"priority")/).flatMap((part) => {
      try {
        return [JSON.parse(part) as Received];
      } catch {
        return [];
      }
    });
  }
}

describe('scale-out: identity, image and object storage in separate processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-scale-out-'));
  const children: ChildProcess[] = [];
  let listener: ChildProcess | undefined;
  const received: Received[] = [];
  let env: Record<string, string>;

  const common = (db: string) =>
    [
      '[DEFAULT]',
      `data_dir = ${dataDir}`,
      `bind_host = ${bindHost}`,
      `transport_url = ${AMQP_URL}/`,
      'log_level = warn',
      '[database]',
      `connection = ${PG_SERVER}/${db}`,
      '[oslo_messaging_notifications]',
      `topics = ${topic}`,
      '',
    ].join('\n');
  const serviceUser = (password: string) =>
    [
      '[service_user]',
      `auth_url = http://${bindHost}:5000/v3`,
      'username = admin',
      `password = ${password}`,
      'project_name = admin',
      '',
    ].join('\n');
  const os = async (...args: string[]): Promise<any> => {
    const { stdout } = await run('openstack', args, { env, timeout: 30_000 });
    return /^[[{]/.test(stdout.trim()) ? JSON.parse(stdout) : stdout;
  };
  /** Adds a service and its public endpoint to the catalog, as the admin. */
  const register = async (type: string, name: string, url: string) => {
    const cloud = parse(readFileSync(env.OS_CLIENT_CONFIG_FILE!, 'utf8')).clouds.nimbus;
    const identity = `http://${bindHost}:5000/v3`;
    const auth = await fetch(`${identity}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'admin', domain: { id: 'default' }, password: cloud.auth.password } },
          },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      }),
    });
    expect(auth.status).toBe(201);
    const headers = {
      'x-auth-token': auth.headers.get('x-subject-token')!,
      'content-type': 'application/json',
    };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${identity}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(r.status).toBe(201);
      return (await r.json()) as Record<string, any>;
    };
    const { service } = await post('/services', { service: { type, name } });
    await post('/endpoints', {
      endpoint: { service_id: service.id, interface: 'public', region_id: 'RegionOne', url },
    });
  };
  const until = async (want: (r: Received) => boolean, ms = 10_000) => {
    const start = Date.now();
    while (Date.now() - start < ms) {
      const found = received.find(want);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };

  beforeAll(async () => {
    // Builds the bundle once when sources changed, so the three processes below do not race to.
    await run(process.execPath, [nimbus, 'serve', '--list'], { cwd: root, timeout: 120_000 });

    // The listener first: oslo declares the queue it reads, so nothing sent is missed.
    listener = spawn(
      '/usr/bin/python3',
      [listenerScript, AMQP_URL.replace(/^amqp:/, 'rabbit:'), 'keystone', topic, '100000', '55'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      let stderr = '';
      listener!.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      listener!.on('exit', (code) => reject(new Error(`oslo listener exited (${code}): ${stderr}`)));
      listener!.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line === 'READY') resolve();
          else if (line.trim()) received.push(...parseLines(line));
        }
      });
    });

    children.push(
      await serveProcess(
        'identity',
        dataDir,
        `${common(databases[0]!)}[identity]\npassword_hash_rounds = 4\n`,
        ['identity-api'],
      ),
    );
    const clouds = join(dataDir, 'clouds.yaml');
    const password = parse(readFileSync(clouds, 'utf8')).clouds.nimbus.auth.password as string;
    const [image, objects] = await Promise.all([
      serveProcess('image', dataDir, common(databases[1]!) + serviceUser(password), ['image-api']),
      serveProcess('objects', dataDir, common(databases[2]!) + serviceUser(password), [
        'object-storage-proxy',
        'object-storage-account-server',
        'object-storage-container-server',
        'object-storage-object-server',
      ]),
    ]);
    children.push(image, objects);
    env = { ...process.env, OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'nimbus' } as Record<string, string>;
  }, 90_000);

  afterAll(async () => {
    await stopProcesses([...children, listener]);
    rmSync(dataDir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
    await client.connect();
    for (const db of databases) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await client.end();
    const connection = await connect(AMQP_URL);
    const channel = await connection.createChannel();
    for (const p of priorities) await channel.deleteQueue(`${topic}.${p}`);
    await connection.close();
  }, 30_000);

  it('serves the real CLI across the processes and announces to a listener in another process', async () => {
    // The operator registers the split-out APIs in the catalog, as with OpenStack (over the API
    // here: four CLI runs would cost seconds).
    await register('image', 'glance', `http://${bindHost}:9292`);
    await register('object-store', 'swift', `http://${bindHost}:8080/v1/AUTH_$(project_id)s`);

    const project = await os('project', 'create', `scale-${runId}`, '-f', 'json');
    const file = join(dataDir, 'disk.raw');
    writeFileSync(file, randomBytes(64 * 1024));
    const image = await os(
      'image',
      'create',
      '--file',
      file,
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      `scale-${runId}`,
      '-f',
      'json',
    );
    // The CLI prints the image as created, before its data went up: read it back.
    expect((await os('image', 'show', image.id, '-f', 'json')).status).toBe('active');
    await os('container', 'create', `scale-${runId}`);
    const stored = await os('object', 'create', '--name', 'disk.raw', `scale-${runId}`, file, '-f', 'json');
    expect(stored).toEqual([expect.objectContaining({ object: 'disk.raw', container: `scale-${runId}` })]);

    // Sent by the identity process on `keystone`, by the image process on `glance`; received by
    // oslo.messaging in Python from the one `<topic>.info` queue both exchanges feed.
    const projectCreated = await until(
      (r) => r.event_type === 'identity.project.created' && r.payload.resource_info === project.id,
    );
    expect(projectCreated).toMatchObject({
      priority: 'INFO',
      publisher_id: expect.stringMatching(/^identity\./),
      payload: { action: 'created.project', outcome: 'success', target: { id: project.id } },
    });
    const endpointCreated = await until((r) => r.event_type === 'identity.endpoint.created');
    expect(endpointCreated?.payload.target.typeURI).toBe('data/security/endpoint');
    const created = await until((r) => r.event_type === 'image.create' && r.payload.id === image.id);
    expect(created).toMatchObject({
      priority: 'INFO',
      publisher_id: 'image.localhost',
      payload: { name: `scale-${runId}`, status: 'queued', owner: expect.any(String) },
    });
    const activated = await until((r) => r.event_type === 'image.activate' && r.payload.id === image.id);
    expect(activated).toMatchObject({ payload: { status: 'active', size: 64 * 1024 } });
    const order = received.filter((r) => r.payload.id === image.id).map((r) => r.event_type);
    expect(order.indexOf('image.create')).toBeLessThan(order.indexOf('image.activate'));
  }, 60_000);
});
