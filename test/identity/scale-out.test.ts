import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { route } from '@nimbus/http';
import { keystoneFaults } from '@nimbus/http';
import { identityService } from '@nimbus/identity';
import { silentLogger } from '@nimbus/logging';
import { defineService, type RunningCloud, startCloud } from '@nimbus/service';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteTokenValidator } from '../../apps/nimbus/src/commands/remote-token-validator';

// Scale-out: two identity API processes on one PostgreSQL database and RabbitMQ, sharing Fernet
// keys, and a service in a third process validating tokens remotely. A revocation made on one
// identity process holds on the other within its refresh interval, and on the remote service
// within its token cache time.
const probe = defineService({
  type: 'probe',
  name: 'probe',
  port: 0,
  catalogPath: '/v1',
  options: [],
  migrations: [],
  async start() {
    return {
      http: {
        faults: keystoneFaults,
        services: {},
        routes: [
          route('GET', '/v1/whoami', (req) => ({
            user_id: req.credentials.userId,
            roles: req.credentials.roles,
          })),
        ],
      },
    };
  },
});

const server = process.env.NIMBUS_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const dbName = `nimbus_t_identity_${randomBytes(4).toString('hex')}`;

describe('identity scale-out (PostgreSQL, RabbitMQ, remote validation)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-identity-scale-'));
  const common = {
    DEFAULT: { data_dir: dataDir, transport_url: 'amqp://guest:guest@127.0.0.1:5672/' },
    database: { connection: `${server}/${dbName}` },
    identity: { password_hash_rounds: 4 },
    token: { revocation_refresh_seconds: 1 },
  };
  let a: RunningCloud;
  let b: RunningCloud;
  let c: RunningCloud;
  const url = (cloud: RunningCloud, type: string) => cloud.endpoints.find((e) => e.type === type)!.url;

  beforeAll(async () => {
    a = await startCloud({
      services: [identityService],
      ephemeralPorts: true,
      env: {},
      logger: silentLogger(),
      overrides: common,
    });
    b = await startCloud({
      services: [identityService],
      ephemeralPorts: true,
      env: {},
      logger: silentLogger(),
      overrides: common,
    });
    const password = parse(readFileSync(join(dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
      .password as string;
    c = await startCloud({
      services: [probe],
      ephemeralPorts: true,
      env: {},
      logger: silentLogger(),
      remoteTokenValidator,
      overrides: {
        DEFAULT: { data_dir: mkdtempSync(join(tmpdir(), 'nimbus-probe-')) },
        service_user: {
          auth_url: `${url(a, 'identity')}/v3`,
          username: 'admin',
          password,
          project_name: 'admin',
          token_cache_seconds: 1,
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await c?.stop();
    await b?.stop();
    await a?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: `${server}/postgres` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await client.end();
  });

  it('honours a revocation made on one process on the other identity process and on a remote service', async () => {
    const password = parse(readFileSync(join(dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
      .password as string;
    const issue = async () => {
      const r = await fetch(`${url(a, 'identity')}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: 'admin', domain: { id: 'default' }, password } },
            },
            scope: { project: { name: 'admin', domain: { id: 'default' } } },
          },
        }),
      });
      expect(r.status).toBe(201);
      return r.headers.get('x-subject-token')!;
    };
    const checker = await issue();
    await new Promise((r) => setTimeout(r, 1100));
    const token = await issue();
    const onB = async () =>
      (
        await fetch(`${url(b, 'identity')}/v3/auth/tokens`, {
          method: 'HEAD',
          headers: { 'x-auth-token': checker, 'x-subject-token': token },
        })
      ).status;
    const onC = async () =>
      (await fetch(`${url(c, 'probe')}/v1/whoami`, { headers: { 'x-auth-token': token } })).status;
    expect(await onB()).toBe(200);
    expect(await onC()).toBe(200);
    const who = (await (
      await fetch(`${url(c, 'probe')}/v1/whoami`, { headers: { 'x-auth-token': token } })
    ).json()) as { roles: string[] };
    expect(who.roles).toEqual(expect.arrayContaining(['admin', 'member', 'reader']));

    const revoked = await fetch(`${url(a, 'identity')}/v3/auth/tokens`, {
      method: 'DELETE',
      headers: { 'x-auth-token': checker, 'x-subject-token': token },
    });
    expect(revoked.status).toBe(204);
    const until = async (probeFn: () => Promise<number>, want: number, ms: number) => {
      const start = Date.now();
      while (Date.now() - start < ms) {
        if ((await probeFn()) === want) return Date.now() - start;
        await new Promise((r) => setTimeout(r, 100));
      }
      return -1;
    };
    const bDelay = await until(onB, 404, 3000);
    const cDelay = await until(onC, 401, 5000);
    expect(bDelay).toBeGreaterThanOrEqual(0);
    expect(cDelay).toBeGreaterThanOrEqual(0);
  }, 30_000);
});
