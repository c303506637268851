import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineOptions, opt } from '@nimbus/config';
import type { Migration } from '@nimbus/db';
import { NotFoundError } from '@nimbus/errors';
import { keystoneFaults, route } from '@nimbus/http';
import { silentLogger } from '@nimbus/logging';
import { defineService, startCloud } from '@nimbus/service';
import { testCredentials } from '@nimbus/testing';
import { afterAll, describe, expect, it } from 'vitest';

// A small but complete service: options, a migration, an RPC server on the bus, and routes that
// read and write its own database. It proves the runner wires every part the same way in the
// all-in-one mode (SQLite, in-process bus) and the scale-out mode (PostgreSQL / MariaDB, RabbitMQ).
const noteOptions = defineOptions('notes', 'Notes service.', {
  greeting: opt.string({ default: 'hello', help: 'Greeting.' }),
});
const migrations: Migration[] = [
  {
    id: '0001-notes',
    up: (db) =>
      db.schema
        .createTable('notes')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('text', 'varchar(255)', (c) => c.notNull())
        .execute(),
  },
];
const creds = testCredentials({ token: 'good', expiresAt: new Date(Date.now() + 60_000) });

const notesService = defineService({
  type: 'notes',
  name: 'notes',
  port: 0,
  catalogPath: '/v1',
  options: [noteOptions],
  migrations,
  async start(ctx) {
    const topic = `notes-${process.pid}-${Date.now()}`;
    const server = await ctx.bus.rpcServer(
      { topic, server: 'host1' },
      { upper: async (_c, args) => String((args as { text: string }).text).toUpperCase() },
    );
    const rpc = ctx.bus.rpcClient({ topic });
    const greeting = ctx.config.group(noteOptions).greeting;
    return {
      tokenValidator: {
        validate: async (t) => (t === 'good' ? creds : Promise.reject(new NotFoundError('no'))),
      },
      http: {
        faults: keystoneFaults,
        services: {},
        routes: [
          route(
            'POST',
            '/v1/notes',
            async (req) => {
              const text = await rpc.call<string>({ request_id: req.requestId }, 'upper', {
                text: req.body.note.text,
              });
              await ctx.db.transaction((trx) =>
                trx.insertInto('notes').values({ id: req.body.note.id, text }).execute(),
              );
              return { note: { id: req.body.note.id, text, greeting } };
            },
            {
              status: 201,
              body: {
                type: 'object',
                required: ['note'],
                properties: { note: { type: 'object', required: ['id', 'text'] } },
              },
            },
          ),
          route('GET', '/v1/notes/:id', async (req) => {
            const row = await ctx.db.kysely
              .selectFrom('notes')
              .selectAll()
              .where('id', '=', req.params.id)
              .executeTakeFirst();
            if (!row) throw new NotFoundError(`Could not find note: ${req.params.id}.`);
            return { note: row };
          }),
        ],
      },
      stop: async () => server.stop(),
    };
  },
});

const modes = [
  { name: 'all-in-one (SQLite, in-process bus)', database: '', transport: 'memory://' },
  {
    name: 'scale-out (PostgreSQL, RabbitMQ)',
    database: 'postgresql://postgres@127.0.0.1:5432',
    transport: 'amqp://guest:guest@127.0.0.1:5672/',
  },
  {
    name: 'scale-out (MariaDB, RabbitMQ)',
    database: 'mysql://root@127.0.0.1:3306',
    transport: 'amqp://guest:guest@127.0.0.1:5672/',
  },
];

for (const mode of modes) {
  describe(`startCloud, ${mode.name}`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-platform-'));
    const cloud = startCloud({
      services: [notesService],
      ephemeralPorts: true,
      env: {},
      logger: silentLogger(),
      overrides: {
        DEFAULT: { data_dir: dataDir, transport_url: mode.transport },
        database: { connection: mode.database },
        notes: { greeting: 'hi' },
      },
    });
    afterAll(async () => {
      await (await cloud).stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('serves the API on a real port with its database, bus and options wired', async () => {
      const { endpoints } = await cloud;
      const url = endpoints[0]!.url;
      const id = `n${Date.now()}`;
      const created = await fetch(`${url}/v1/notes`, {
        method: 'POST',
        headers: { 'x-auth-token': 'good', 'content-type': 'application/json' },
        body: JSON.stringify({ note: { id, text: 'abc' } }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ note: { id, text: 'ABC', greeting: 'hi' } });
      const read = await fetch(`${url}/v1/notes/${id}`, { headers: { 'x-auth-token': 'good' } });
      expect(((await read.json()) as { note: { text: string } }).note.text).toBe('ABC');
      expect(read.headers.get('x-openstack-request-id')).toMatch(/^req-/);
      expect((await fetch(`${url}/v1/notes/${id}`)).status).toBe(401);
      expect((await fetch(`${url}/healthcheck`)).status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('nimbus_http_request_duration_seconds');
      expect(endpoints[0]!.catalogUrl).toBe(`${url}/v1`);
    });
  });
}

describe('startCloud start-up errors', () => {
  it('names a bad option and leaves nothing running', async () => {
    await expect(
      startCloud({
        services: [notesService],
        ephemeralPorts: true,
        env: {},
        logger: silentLogger(),
        overrides: { notes: { nope: 1 } },
      }),
    ).rejects.toThrow(/unknown option 'nope' in \[notes\]/);
    await expect(
      startCloud({
        services: [notesService],
        ephemeralPorts: true,
        env: { NIMBUS_DEFAULT__TRANSPORT_URL: 'amqp://guest:guest@127.0.0.1:1/' },
        logger: silentLogger(),
        overrides: { DEFAULT: { data_dir: mkdtempSync(join(tmpdir(), 'nimbus-platform-')) } },
      }),
    ).rejects.toThrow();
  });
});
