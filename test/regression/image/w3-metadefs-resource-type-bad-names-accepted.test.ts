import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetadefCloud, schemaFault, startMetadefCloud } from './metadef-fixture';

// From the hostile-input sweep (W3), which reported that resource-type names such as
// `../../etc/passwd` were accepted. Glance takes them too: its resource-type name is any string
// of at most 80 characters (no pattern), and an unknown name creates the resource type. Names
// are data, never paths or SQL, so they round-trip unchanged. What was really missing was the
// 80-character limit (Nimbus took 255): a longer name is 400.
describe('resource-type association names', () => {
  let c: MetadefCloud;
  const rt = '/v2/metadefs/namespaces/w3/resource_types';
  beforeAll(async () => {
    c = await startMetadefCloud();
    expect((await c.call('POST', '/v2/metadefs/namespaces', { namespace: 'w3' })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await c?.cloud.stop();
  });

  it.each(['../../etc/passwd', "' OR 1=1 --", 'é/日本', 'x'.repeat(80)])(
    'stores %j as it is, lists it and dissociates it by its quoted name',
    async (name) => {
      const created = await c.call('POST', rt, { name });
      expect(created.status).toBe(201);
      expect(created.body.name).toBe(name);
      const types = (await c.call('GET', '/v2/metadefs/resource_types')).body.resource_types;
      expect(types.map((t: { name: string }) => t.name)).toContain(name);
      expect((await c.call('GET', rt)).body.resource_type_associations.map((a: any) => a.name)).toEqual([
        name,
      ]);
      expect((await c.call('DELETE', `${rt}/${encodeURIComponent(name)}`)).status).toBe(204);
      expect((await c.call('GET', rt)).body.resource_type_associations).toEqual([]);
    },
  );

  it('refuses a name over 80 characters, and an empty body', async () => {
    const long = 'x'.repeat(81);
    expect(await c.call('POST', rt, { name: long })).toEqual(
      schemaFault('resource_type_association', `'${long}' is too long`),
    );
    expect((await c.call('POST', rt)).body).toMatchObject({ message: 'Body expected in request.' });
    const types = (await c.call('GET', '/v2/metadefs/resource_types')).body.resource_types;
    expect(types.map((t: { name: string }) => t.name)).not.toContain(long);
  });

  it('holds namespace, object, property and tag names to Glance limits too', async () => {
    expect((await c.call('POST', '/v2/metadefs/namespaces', { namespace: 'n'.repeat(81) })).status).toBe(400);
    expect(
      (await c.call('POST', '/v2/metadefs/namespaces/w3/objects', { name: 'o'.repeat(81) })).status,
    ).toBe(400);
    expect(
      (
        await c.call('POST', '/v2/metadefs/namespaces/w3/properties', {
          name: 'p'.repeat(81),
          title: 't',
          type: 'string',
        })
      ).status,
    ).toBe(400);
    expect((await c.call('POST', '/v2/metadefs/namespaces/w3/tags', { tags: [{ name: 1 }] })).status).toBe(
      400,
    );
  });
});
