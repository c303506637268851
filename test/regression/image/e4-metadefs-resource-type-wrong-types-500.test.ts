import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetadefCloud, schemaFault, startMetadefCloud } from './metadef-fixture';

// Found by the hostile-input sweep (E4): a resource-type association whose `prefix` or
// `properties_target` was a list or an object answered 500 (SQLite cannot bind it), and a number
// was stored. Glance's schema says both are strings of at most 80 characters: 400.
describe('resource-type associations with wrongly typed fields', () => {
  let c: MetadefCloud;
  const rt = '/v2/metadefs/namespaces/e4/resource_types';
  beforeAll(async () => {
    c = await startMetadefCloud();
    expect((await c.call('POST', '/v2/metadefs/namespaces', { namespace: 'e4' })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await c?.cloud.stop();
  });

  it.each([
    ['prefix', [], "[] is not of type 'string'"],
    ['prefix', {}, "{} is not of type 'string'"],
    ['prefix', [1, 2], "[1, 2] is not of type 'string'"],
    ['properties_target', { a: {} }, "{'a': {}} is not of type 'string'"],
    ['properties_target', 1, "1 is not of type 'string'"],
    ['properties_target', null, "None is not of type 'string'"],
  ])('refuses %s = %j with 400', async (field, value, reason) => {
    const r = await c.call('POST', rt, { name: 'OS::Nova::Server', [field]: value });
    expect(r).toEqual(schemaFault('resource_type_association', reason));
  });

  it('refuses a wrong name, a missing name, unknown and read-only fields', async () => {
    expect(await c.call('POST', rt, { name: 1 })).toEqual(
      schemaFault('resource_type_association', "1 is not of type 'string'"),
    );
    expect(await c.call('POST', rt, { prefix: 'p_' })).toEqual(
      schemaFault('resource_type_association', "'name' is a required property"),
    );
    expect((await c.call('POST', rt, { name: 'OS::Nova::Server', bogus: 'x' })).status).toBe(400);
    expect((await c.call('POST', rt, { name: 'OS::Nova::Server', prefix: 'p'.repeat(81) })).status).toBe(400);
    expect(await c.call('POST', rt, { name: 'OS::Nova::Server', created_at: 'x' })).toMatchObject({
      status: 403,
      body: { message: "Attribute 'created_at' is read-only." },
    });
  });

  it('refuses the same wrong types inside a namespace body', async () => {
    expect(
      await c.call('POST', '/v2/metadefs/namespaces', {
        namespace: 'e4-nested',
        resource_type_associations: [{ name: 'OS::Nova::Server', prefix: [] }],
      }),
    ).toEqual(schemaFault('namespace', "[] is not of type 'string'"));
    expect((await c.call('GET', '/v2/metadefs/namespaces/e4-nested')).status).toBe(404);
  });

  it('nothing wrong was stored; a string prefix still works', async () => {
    expect((await c.call('GET', rt)).body.resource_type_associations).toEqual([]);
    const ok = await c.call('POST', rt, {
      name: 'OS::Nova::Server',
      prefix: 'p_',
      properties_target: 'image',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: 'OS::Nova::Server', prefix: 'p_', properties_target: 'image' });
  });
});
