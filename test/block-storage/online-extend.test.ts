import { keystoneFaults, respond, route } from '@nimbus/http';
import { defineService } from '@nimbus/service';
import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockStorageCloud, type Caller, until } from './block-storage-cloud';

/** What the stand-in compute service received on `os-server-external-events`. */
const received: { microversion: string | null; events: any[] }[] = [];
/** Servers the stand-in compute knows (others answer 404, as Nova for an unknown server). */
const knownServers = new Set<string>();

// A stand-in for compute: only the external-events API, answering per event as Nova does.
const fakeCompute = defineService({
  type: 'compute',
  name: 'nova',
  port: 0,
  catalogPath: '/v2.1',
  options: [],
  migrations: [],
  async start() {
    return {
      http: {
        faults: keystoneFaults,
        services: {},
        routes: [
          route('POST', '/v2.1/os-server-external-events', async (req) => {
            const events = (req.body as { events: any[] }).events;
            received.push({ microversion: req.headers['openstack-api-version'] as string | null, events });
            const answered = events.map((e) => ({ ...e, code: knownServers.has(e.server_uuid) ? 200 : 404 }));
            const ok = answered.filter((e) => e.code === 200).length;
            return respond(ok === answered.length ? 200 : ok ? 207 : 404, { events: answered });
          }),
        ],
      },
    };
  },
});

// Extending an attached volume at 3.42 tells compute (`volume-extended` at 2.51) for each server
// it is attached to; a failure there leaves a user message and the extend stands.
describe('block-storage API: online extend tells compute', () => {
  let cloud: TestCloud;
  let member: Caller;
  const V = (v: string) => ({ 'openstack-api-version': `volume ${v}` });

  beforeAll(async () => {
    ({ cloud, member } = await blockStorageCloud({ extraServices: [fakeCompute] }));
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const status = async (id: string) => (await member('GET', `/volumes/${id}`)).body.volume.status;

  /** An in-use volume attached (attachments API) to a new server id. */
  const attached = async () => {
    const v = await member('POST', '/volumes', { volume: { size: 1 } });
    const id = v.body.volume.id;
    await until(async () => (await status(id)) === 'available');
    const server = crypto.randomUUID();
    const a = await member(
      'POST',
      '/attachments',
      { attachment: { volume_uuid: id, instance_uuid: server } },
      V('3.44'),
    );
    await member(
      'PUT',
      `/attachments/${a.body.attachment.id}`,
      { attachment: { connector: { host: 'node1' } } },
      V('3.44'),
    );
    await member('POST', `/attachments/${a.body.attachment.id}/action`, { 'os-complete': null }, V('3.44'));
    expect(await status(id)).toBe('in-use');
    return { id, server };
  };

  it('sends volume-extended for the attached server at microversion 2.51', async () => {
    const { id, server } = await attached();
    knownServers.add(server);
    const r = await member('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 2 } }, V('3.42'));
    expect(r.status).toBe(202);
    await until(async () => received.some((x) => x.events.some((e) => e.tag === id)));
    const sent = received.find((x) => x.events.some((e) => e.tag === id))!;
    expect(sent.microversion).toBe('compute 2.51');
    expect(sent.events).toEqual([{ name: 'volume-extended', server_uuid: server, tag: id }]);
    const shown = (await member('GET', `/volumes/${id}`)).body.volume;
    expect(shown).toMatchObject({ size: 2, status: 'in-use' });
  });

  it('keeps the extend and leaves a user message when compute does not take the event', async () => {
    const { id } = await attached();
    const r = await member('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 3 } }, V('3.42'));
    expect(r.status).toBe(202);
    await until(async () => {
      const m = await member('GET', `/messages?resource_uuid=${id}`, undefined, V('3.3'));
      return (m.body.messages ?? []).some((x: any) => x.resource_uuid === id);
    });
    const messages = (await member('GET', `/messages?resource_uuid=${id}`, undefined, V('3.3'))).body
      .messages;
    expect(messages.find((x: any) => x.resource_uuid === id).user_message).toMatch(
      /extend volume: Compute service failed to extend volume/,
    );
    expect((await member('GET', `/volumes/${id}`)).body.volume).toMatchObject({ size: 3, status: 'in-use' });
  });

  it('sends nothing for an available volume', async () => {
    const v = await member('POST', '/volumes', { volume: { size: 1 } });
    const id = v.body.volume.id;
    await until(async () => (await status(id)) === 'available');
    await member('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 2 } }, V('3.42'));
    await until(async () => (await member('GET', `/volumes/${id}`)).body.volume.size === 2);
    expect(received.some((x) => x.events.some((e) => e.tag === id))).toBe(false);
  });
});
