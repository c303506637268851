import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServerUrls } from '@nimbus/db';
import { placementService } from '@nimbus/placement';
import { startTestCloud } from '@nimbus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { placementCall } from './placement-client';

// No oversubscription, ever: 200 concurrent claims of 1 VCPU against a provider with room for 100
// leave exactly 100 allocations and 100 upstream-shaped 409s. In one process on SQLite, and with
// two placement-api processes on one PostgreSQL and on one MariaDB database.
const root = join(import.meta.dirname, '../..');

async function claimRace(bases: string[]): Promise<void> {
  const rp = randomUUID();
  const a = bases[0]!;
  expect(
    (await placementCall(a, 'POST', '/resource_providers', { name: `race-${rp}`, uuid: rp })).status,
  ).toBe(200);
  const inv = await placementCall(a, 'PUT', `/resource_providers/${rp}/inventories`, {
    resource_provider_generation: 0,
    inventories: { VCPU: { total: 100 } },
  });
  expect(inv.status).toBe(200);
  const answers = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      placementCall(bases[i % bases.length]!, 'PUT', `/allocations/${randomUUID()}`, {
        allocations: { [rp]: { resources: { VCPU: 1 } } },
        project_id: 'p',
        user_id: 'u',
        consumer_generation: null,
        consumer_type: 'INSTANCE',
      }),
    ),
  );
  const ok = answers.filter((r) => r.status === 204);
  const refused = answers.filter((r) => r.status === 409);
  expect(ok.length).toBe(100);
  expect(refused.length).toBe(100);
  for (const r of refused) {
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({ status: 409, title: 'Conflict' });
    expect(r.body.errors[0].code).toMatch(/^placement\./);
    expect(r.body.errors[0].detail).toMatch(/exceed the capacity|concurrently updated/);
  }
  const usages = await placementCall(a, 'GET', `/resource_providers/${rp}/usages`);
  expect(usages.body.usages).toEqual({ VCPU: 100 });
  const allocations = await placementCall(
    bases[bases.length - 1]!,
    'GET',
    `/resource_providers/${rp}/allocations`,
  );
  expect(Object.keys(allocations.body.allocations)).toHaveLength(100);
}

describe('concurrent claims', () => {
  it('never oversubscribe in one process on SQLite', async () => {
    const cloud = await startTestCloud([placementService], { api: { auth_strategy: 'noauth2' } });
    try {
      await claimRace([cloud.url('placement')]);
    } finally {
      await cloud.stop();
    }
  }, 60_000);

  for (const dialect of ['postgres', 'mariadb'] as const) {
    describe(`two placement-api processes on ${dialect}`, () => {
      const name = `nimbus_t_placement_${randomBytes(4).toString('hex')}`;
      const server = testServerUrls[dialect];
      const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-placement-race-'));
      const children: ChildProcess[] = [];

      afterAll(async () => {
        for (const c of children) c.kill('SIGTERM');
        await Promise.all(
          children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
        );
        await dropDatabase(dialect, server, name);
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('never oversubscribe', async () => {
        const bases: string[] = [];
        // One after the other: the first migrates the database, the second finds it ready.
        for (let i = 0; i < 2; i++) bases.push(await startProcess(`${server}/${name}`, dataDir, children));
        await claimRace(bases);
      }, 120_000);
    });
  }
});

function startProcess(connection: string, dataDir: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['test/placement/placement-process.ts', connection, dataDir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /url (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.once('exit', (code) => reject(new Error(`placement process exited (${code}): ${err}`)));
  });
}

async function dropDatabase(dialect: 'postgres' | 'mariadb', server: string, name: string): Promise<void> {
  const url = new URL(server);
  if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    const c = new pg.Client({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: url.username || 'postgres',
      database: 'postgres',
    });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  } else {
    const mysql = await import('mysql2');
    const c = mysql
      .createConnection({ host: url.hostname, port: Number(url.port || 3306), user: url.username || 'root' })
      .promise();
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.end();
  }
}
