import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetadefCloud, schemaFault, startMetadefCloud } from './metadef-fixture';

// Found by the hostile-input sweep (E3): `POST /v2/metadefs/namespaces` with `objects: [null]` or
// `tags: [null]` answered 500 (the manager read `.name` of null). Glance validates every
// metadefs body against its schema first: 400. The same hole was open in every metadefs body.
describe('metadefs bodies with null or malformed members', () => {
  let c: MetadefCloud;
  const ns = '/v2/metadefs/namespaces/e3';
  beforeAll(async () => {
    c = await startMetadefCloud();
    expect((await c.call('POST', '/v2/metadefs/namespaces', { namespace: 'e3' })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await c?.cloud.stop();
  });

  it.each([
    [{ namespace: 'n1', objects: [null] }, "None is not of type 'object'"],
    [{ namespace: 'n1', tags: [null] }, "None is not of type 'object'"],
    [{ namespace: 'n1', resource_type_associations: [null] }, "None is not of type 'object'"],
    [{ namespace: 'n1', properties: { p: null } }, "None is not of type 'object'"],
    [{ namespace: 'n1', objects: [{}] }, "'name' is a required property"],
    [{ namespace: 'n1', tags: [{ name: 1 }] }, "1 is not of type 'string'"],
    [{ namespace: 'n1', objects: 'x' }, "'x' is not of type 'array'"],
    [{ namespace: 'n1', bogus: 1 }, "Additional properties are not allowed ('bogus' was unexpected)"],
  ])('refuses namespace %j with 400 and stores nothing', async (body, reason) => {
    expect(await c.call('POST', '/v2/metadefs/namespaces', body)).toEqual(schemaFault('namespace', reason));
    expect((await c.call('GET', '/v2/metadefs/namespaces/n1')).status).toBe(404);
  });

  it('refuses a namespace body that is null, a list or missing', async () => {
    expect(await c.call('POST', '/v2/metadefs/namespaces', null)).toEqual(
      schemaFault('namespace', "None is not of type 'object'"),
    );
    expect((await c.call('POST', '/v2/metadefs/namespaces', [null])).status).toBe(400);
    expect((await c.call('PUT', ns, [null])).status).toBe(400);
    expect((await c.call('POST', '/v2/metadefs/namespaces')).body.message).toBe('Body expected in request.');
  });

  it('answers 403 to a read-only attribute, as Glance', async () => {
    const r = await c.call('POST', '/v2/metadefs/namespaces', { namespace: 'n1', self: '/x' });
    expect(r).toMatchObject({ status: 403, body: { message: "Attribute 'self' is read-only." } });
  });

  it('refuses null and malformed members of objects, properties and tags', async () => {
    expect(await c.call('POST', `${ns}/objects`, { name: 'o', properties: { p: null } })).toEqual(
      schemaFault('object', "None is not of type 'object'"),
    );
    expect(await c.call('POST', `${ns}/objects`, { name: 'o', required: [null] })).toEqual(
      schemaFault('object', "None is not of type 'string'"),
    );
    expect(
      (await c.call('POST', `${ns}/objects`, { name: 'o', properties: { p: { title: 't' } } })).status,
    ).toBe(400);
    expect(await c.call('POST', `${ns}/objects`, null)).toEqual(
      schemaFault('object', "None is not of type 'object'"),
    );
    expect(await c.call('POST', `${ns}/properties`, { name: 'p', title: 't' })).toEqual(
      schemaFault('property', "'type' is a required property"),
    );
    expect(
      (await c.call('POST', `${ns}/properties`, { name: 'p', title: 't', type: 'string', enum: null }))
        .status,
    ).toBe(400);
    expect(await c.call('POST', `${ns}/tags`, { tags: [null] })).toEqual(
      schemaFault('tags', "None is not of type 'object'"),
    );
    expect(await c.call('POST', `${ns}/tags`, { tags: null })).toEqual(
      schemaFault('tags', "None is not of type 'array'"),
    );
    expect((await c.call('POST', `${ns}/tags/t1`)).status).toBe(201);
    expect(await c.call('PUT', `${ns}/tags/t1`, { name: null })).toEqual(
      schemaFault('tag', "None is not of type 'string'"),
    );
    const full = (await c.call('GET', ns)).body;
    expect(full.objects).toBeUndefined();
    expect(full.properties).toBeUndefined();
    expect(full.tags).toEqual([{ name: 't1' }]);
  });

  it('serves the schemas bodies are checked against, and no inherited names', async () => {
    const doc = (await c.call('GET', '/v2/schemas/metadefs/namespace')).body;
    expect(doc.properties.objects.items.properties.properties).toEqual({ $ref: '#/definitions/property' });
    expect(doc.definitions.property.additionalProperties.required).toEqual(['title', 'type']);
    expect((await c.call('GET', '/v2/schemas/metadefs/constructor')).status).toBe(404);
    expect((await c.call('GET', '/v2/schemas/metadefs/__proto__')).status).toBe(404);
  });

  it('still takes well-formed bodies', async () => {
    const created = await c.call('POST', '/v2/metadefs/namespaces', {
      namespace: 'e3-ok',
      objects: [{ name: 'o', properties: { p: { title: 'P', type: 'string' } } }],
      tags: [{ name: 't' }],
      properties: { q: { title: 'Q', type: 'integer', minimum: 0 } },
      resource_type_associations: [{ name: 'OS::Glance::Image', prefix: 'x_' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.objects[0].name).toBe('o');
    expect(created.body.tags).toEqual([{ name: 't' }]);
  });
});
