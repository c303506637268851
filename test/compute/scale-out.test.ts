import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dropDatabase, testServerUrls } from '@nimbus/db';
import { passwordToken, serveProcess, stopProcesses } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);

// Issue 16: compute split as upstream deploys it, over RabbitMQ: the API, conductor and scheduler
// in one process (their database on MariaDB), two agent processes (node1, node2), and identity,
// image, placement and network each in a process of its own (PostgreSQL). The real `openstack`
// CLI boots a server on each agent and deletes them; placement is left with no usage.
const AMQP_URL = process.env.NIMBUS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const root = fileURLToPath(new URL('../..', import.meta.url));
const nimbus = join(root, 'apps/nimbus/bin/nimbus.mjs');
const runId = randomBytes(4).toString('hex');
// Every process of this run on its own loopback address, so upstream's default ports are free.
const bindHost = `127.${64 + (randomBytes(1)[0]! % 64)}.${randomBytes(1)[0]!}.${1 + (randomBytes(1)[0]! % 250)}`;
const dbName = (service: string) => `nimbus_t_cscale_${runId}_${service}`;
const databases = [
  { dialect: 'postgres', service: 'identity' },
  { dialect: 'postgres', service: 'image' },
  { dialect: 'postgres', service: 'placement' },
  { dialect: 'postgres', service: 'network' },
  { dialect: 'mariadb', service: 'compute' },
] as const;

describe('scale-out: compute roles and two agents in separate processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-compute-scale-'));
  const children: ChildProcess[] = [];
  let slowAgent: ChildProcess;
  let adminToken = '';
  /** A server as the admin sees it at 2.1, read over the API (polling through the CLI is slow). */
  const server = async (id: string): Promise<any> => {
    const r = await fetch(`http://${bindHost}:8774/v2.1/servers/${id}`, {
      headers: { 'x-auth-token': adminToken },
    });
    const body = (await r.json()) as { server?: unknown };
    if (!body.server) throw new Error(`GET server ${id}: ${r.status} ${JSON.stringify(body)}`);
    return body.server;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let env: Record<string, string>;

  const config = (service: string, extra = '', fake = '') =>
    [
      '[DEFAULT]',
      `data_dir = ${dataDir}`,
      `bind_host = ${bindHost}`,
      `transport_url = ${AMQP_URL}/`,
      'log_level = warn',
      '[database]',
      `connection = ${testServerUrls[databases.find((d) => d.service === service)!.dialect]}/${dbName(service)}`,
      '[identity]',
      'password_hash_rounds = 4',
      '[fake]',
      'host_count = 1',
      fake,
      // A host is down 3 s after its last heartbeat (one a second): the test kills an agent.
      '[compute]',
      'report_interval = 1',
      'service_down_time = 3',
      extra,
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
    const { stdout } = await run('openstack', args, { env, timeout: 60_000 });
    return /^[[{]/.test(stdout.trim()) ? JSON.parse(stdout) : stdout;
  };

  /** Adds the split-out services' public endpoints to the catalog, as an operator does. */
  async function register(password: string): Promise<void> {
    const identity = `http://${bindHost}:5000/v3`;
    const { token } = await passwordToken(
      { url: () => `http://${bindHost}:5000` },
      'admin',
      password,
      'admin',
    );
    const headers = {
      'x-auth-token': token,
      'content-type': 'application/json',
    };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${identity}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(r.status).toBe(201);
      return (await r.json()) as Record<string, any>;
    };
    for (const [type, name, url] of [
      ['image', 'glance', `http://${bindHost}:9292`],
      ['placement', 'placement', `http://${bindHost}:8778`],
      ['network', 'neutron', `http://${bindHost}:9696`],
      ['compute', 'nova', `http://${bindHost}:8774/v2.1`],
    ]) {
      const { service } = await post('/services', { service: { type, name } });
      await post('/endpoints', {
        endpoint: { service_id: service.id, interface: 'public', region_id: 'RegionOne', url },
      });
    }
  }

  beforeAll(async () => {
    // Builds the bundle once when sources changed, so the processes below do not race to.
    await run(process.execPath, [nimbus, 'serve', '--list'], { cwd: root, timeout: 120_000 });
    children.push(await serveProcess('identity', dataDir, config('identity'), ['identity-api']));
    const clouds = join(dataDir, 'clouds.yaml');
    const password = parse(readFileSync(clouds, 'utf8')).clouds.nimbus.auth.password as string;
    await register(password);
    const user = serviceUser(password);
    children.push(
      ...(await Promise.all([
        serveProcess('image', dataDir, config('image', user), ['image-api']),
        serveProcess('placement', dataDir, config('placement', user), ['placement-api']),
        serveProcess('network', dataDir, config('network', user), ['network-api']),
        serveProcess('compute', dataDir, config('compute', user), [
          'compute-api',
          'compute-conductor',
          'compute-scheduler',
        ]),
      ])),
    );
    // The agents last: each reports its host to the conductor and to placement as it starts.
    // node3's guests take a minute to spawn: the test kills that agent during a build.
    children.push(
      ...(await Promise.all(
        ['node1', 'node2'].map((host) =>
          serveProcess(`agent-${host}`, dataDir, config('compute', user), ['compute-agent', '--host', host]),
        ),
      )),
    );
    slowAgent = await serveProcess(
      'agent-node3',
      dataDir,
      config('compute', user, 'spawn_delay_ms = 60000'),
      ['compute-agent', '--host', 'node3'],
    );
    children.push(slowAgent);
    env = { ...process.env, OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'nimbus' } as Record<string, string>;
  }, 180_000);

  afterAll(async () => {
    await stopProcesses(children);
    rmSync(dataDir, { recursive: true, force: true });
    for (const d of databases) await dropDatabase(d.dialect, testServerUrls[d.dialect], dbName(d.service));
  }, 60_000);

  it('boots servers through both agents with the real CLI and frees everything on delete', async () => {
    const hypervisors = await os('hypervisor', 'list', '-f', 'json');
    expect(hypervisors.map((h: any) => h['Hypervisor Hostname']).sort()).toEqual(['node1', 'node2', 'node3']);
    // node3 only for the server sent there by name (`zone:host`, an admin's choice).
    await os('compute', 'service', 'set', '--disable', 'node3', 'nova-compute');

    await os('flavor', 'create', '--ram', '512', '--vcpus', '1', '--disk', '1', 'scale.tiny');
    const file = join(dataDir, 'disk.raw');
    writeFileSync(file, randomBytes(64 * 1024));
    await os(
      'image',
      'create',
      '--file',
      file,
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      'scale-img',
    );
    await os('network', 'create', 'scale-net');
    await os('subnet', 'create', '--network', 'scale-net', '--subnet-range', '10.9.0.0/24', 'scale-subnet');

    // Two boots in turn: the weighers send the second to the host the first left emptier.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const server = await os(
        'server',
        'create',
        '--flavor',
        'scale.tiny',
        '--image',
        'scale-img',
        '--network',
        'scale-net',
        '--wait',
        `scale-${i}`,
        '-f',
        'json',
      );
      expect(server.status).toBe('ACTIVE');
      expect(JSON.stringify(server.addresses)).toMatch(/10\.9\.0\./);
      ids.push(server.id);
    }
    const listed = await os('server', 'list', '--long', '-f', 'json');
    expect(listed.map((s: any) => s.Host).sort()).toEqual(['node1', 'node2']);

    await os('server', 'delete', '--wait', ...ids);
    expect(await os('server', 'list', '-f', 'json')).toEqual([]);

    // An agent that dies mid-build: once its host is down, the conductor ends the build in
    // ERROR with a fault naming the host and frees the claim in placement.
    const doomed = await os(
      'server',
      'create',
      '--flavor',
      'scale.tiny',
      '--image',
      'scale-img',
      '--network',
      'scale-net',
      '--availability-zone',
      'nova:node3',
      'scale-doomed',
      '-f',
      'json',
    );
    adminToken = (await os('token', 'issue', '-f', 'json')).id;
    for (let i = 0; i < 120 && (await server(doomed.id))['OS-EXT-STS:task_state'] !== 'spawning'; i++)
      await sleep(250);
    expect((await server(doomed.id))['OS-EXT-STS:task_state']).toBe('spawning');
    slowAgent.kill('SIGKILL');
    let ended = await server(doomed.id);
    for (let i = 0; i < 120 && ended.status === 'BUILD'; i++) {
      await sleep(250);
      ended = await server(doomed.id);
    }
    expect(ended.status).toBe('ERROR');
    expect(ended.fault.message).toMatch(/node3 is down/);
    await os('server', 'delete', '--wait', doomed.id);

    const providers = await os('resource', 'provider', 'list', '-f', 'json');
    expect(providers).toHaveLength(3);
    for (const rp of providers) {
      const usage = await os('resource', 'provider', 'usage', 'show', rp.uuid, '-f', 'json');
      expect(usage.every((u: any) => u.usage === 0)).toBe(true);
    }
  }, 240_000);
});
