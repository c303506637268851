import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBus } from '@nimbus/bus';
import { NotFoundError } from '@nimbus/errors';
import { keystoneFaults, route } from '@nimbus/http';
import { silentLogger } from '@nimbus/logging';
import { collectRoleStatus, defineService, type RunningCloud, startCloud } from '@nimbus/service';
import { testCredentials } from '@nimbus/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../apps/nimbus/src/main';

describe('nimbus serve --list', () => {
  it('prints every role of every service with a line of description', async () => {
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await buildProgram().parseAsync(['node', 'nimbus', 'serve', '--list']);
    } finally {
      write.mockRestore();
    }
    const ids = out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    for (const id of [
      'identity-api',
      'image-api',
      'image-scrubber',
      'object-storage-proxy',
      'object-storage-object-server',
      'object-storage-object-replicator',
      'object-storage-account-reaper',
      'object-storage-container-sync',
    ]) {
      expect(ids).toContain(id);
    }
    expect(out).toMatch(/^object-storage-proxy\s+The Swift v1 API.*\[port 8080; alias object-store-api\]$/m);
  });
});

// A service shaped like compute: an API, a shared worker with a periodic task, and an agent per
// host, each reached over RPC. Its roles run in two runners of one test process that share only
// the bus, as two processes would.
function tallyService(suffix: string) {
  const creds = testCredentials({ token: 'good' });
  const workerTopic = `tally-worker-${suffix}`;
  const agentTopic = `tally-agent-${suffix}`;
  return defineService({
    id: 'tally',
    type: 'tally',
    name: 'tally',
    options: [],
    migrations: [],
    async setup() {
      return { sweeps: 0 };
    },
    roles: [
      {
        name: 'api',
        description: 'The tally API.',
        http: { port: 0, catalogPath: '/v1' },
        async start(ctx) {
          const worker = ctx.bus.rpcClient({ topic: workerTopic });
          const agents = ctx.bus.rpcClient({ topic: agentTopic });
          return {
            tokenValidator: {
              validate: async (t) => (t === 'good' ? creds : Promise.reject(new NotFoundError('no'))),
            },
            http: {
              faults: keystoneFaults,
              services: {},
              routes: [
                route('GET', '/v1/sweeps', async () => ({ sweeps: await worker.call({}, 'sweeps') })),
                route('POST', '/v1/hosts/:host/tally', async (req) => ({
                  tally: await agents.prepare({ server: req.params.host }).call({}, 'tally'),
                })),
              ],
            },
          };
        },
      },
      {
        name: 'worker',
        description: 'Sweeps now and then.',
        rpc: [{ topic: workerTopic }],
        periodic: [{ name: `tally-sweep-${suffix}`, intervalSeconds: 0.02, initialDelaySeconds: 0 }],
        async start(ctx) {
          return {
            rpc: { [workerTopic]: { sweeps: async () => ctx.shared.sweeps } },
            periodic: {
              [`tally-sweep-${suffix}`]: async () => {
                ctx.shared.sweeps++;
              },
            },
          };
        },
      },
      {
        name: 'agent',
        description: 'Counts on one host.',
        perHost: true,
        rpc: [{ topic: agentTopic, perHost: true }],
        async start(ctx) {
          let n = 0;
          return { rpc: { [agentTopic]: { tally: async () => ({ host: ctx.host, n: ++n }) } } };
        },
      },
    ],
  });
}

const transports = [
  { name: 'in-process bus', url: () => `memory://roles-${randomBytes(4).toString('hex')}` },
  { name: 'RabbitMQ', url: () => 'amqp://guest:guest@127.0.0.1:5672/' },
];

for (const transport of transports) {
  describe(`roles started separately, ${transport.name}`, () => {
    const suffix = randomBytes(4).toString('hex');
    const service = tallyService(suffix);
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-roles-'));
    const url = transport.url();
    const start = (roles: string[], host: string, hosts?: string[]) =>
      startCloud({
        services: [service],
        roles,
        hosts,
        ephemeralPorts: true,
        env: {},
        logger: silentLogger(),
        overrides: { DEFAULT: { data_dir: dataDir, transport_url: url, host } },
      });
    const clouds: RunningCloud[] = [];
    afterAll(async () => {
      for (const c of clouds.reverse()) await c.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('interoperate over the bus: the API reaches the worker and each simulated host', async () => {
      const api = await start(['tally-api'], 'front');
      clouds.push(api);
      const workers = await start(['worker', 'tally-agent'], 'back', ['node[1-3]']);
      clouds.push(workers);
      expect(api.roles.map((r) => r.id)).toEqual(['tally-api']);
      expect(workers.roles.map((r) => `${r.id}@${r.host}`)).toEqual([
        'tally-worker@back',
        'tally-agent@node1',
        'tally-agent@node2',
        'tally-agent@node3',
      ]);
      const base = api.endpoints[0]!.url;
      const headers = { 'x-auth-token': 'good' };
      for (const host of ['node2', 'node2', 'node3']) {
        const r = await fetch(`${base}/v1/hosts/${host}/tally`, { method: 'POST', headers });
        expect(r.status).toBe(200);
        expect(((await r.json()) as { tally: { host: string } }).tally.host).toBe(host);
      }
      const again = await fetch(`${base}/v1/hosts/node2/tally`, { method: 'POST', headers });
      expect(await again.json()).toEqual({ tally: { host: 'node2', n: 3 } });
      await new Promise((r) => setTimeout(r, 100));
      const sweeps = (await (await fetch(`${base}/v1/sweeps`, { headers })).json()) as { sweeps: number };
      expect(sweeps.sweeps).toBeGreaterThan(1);
    });

    it('answer `nimbus status` with their hosts and heartbeats', async () => {
      const bus = await createBus(url);
      try {
        const mine = (await collectRoleStatus(bus, 1)).filter(
          (b) => b.service === 'tally' && b.pid === process.pid,
        );
        expect(mine.map((b) => `${b.id}@${b.host}`)).toEqual([
          'tally-agent@node1',
          'tally-agent@node2',
          'tally-agent@node3',
          'tally-api@front',
          'tally-worker@back',
        ]);
        const worker = mine.find((b) => b.role === 'worker')!;
        expect(worker.periodic).toEqual([`tally-sweep-${suffix}`]);
        expect(Date.now() - Date.parse(worker.lastHeartbeat)).toBeLessThan(5000);
      } finally {
        await bus.close();
      }
    });
  });
}
