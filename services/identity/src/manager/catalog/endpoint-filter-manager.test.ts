import { migrate, openTestDatabase } from '@nimbus/db';
import { NotFoundError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../../db/migrations/index';
import { CatalogRepository } from '../../db/repositories/catalog-repository';
import { EndpointFilterRepository } from '../../db/repositories/endpoint-filter-repository';
import { CatalogManager } from './catalog-manager';
import { EndpointFilterManager } from './endpoint-filter-manager';

describe('CatalogManager and EndpointFilterManager', () => {
  it('builds catalogs, then limits a project to its associated endpoints and groups', async () => {
    const db = await openTestDatabase('sqlite', 'identity');
    try {
      await migrate(db, identityMigrations);
      const catalog = new CatalogManager(new CatalogRepository(db));
      const filter = new EndpointFilterManager(new EndpointFilterRepository(db), catalog, async (id) => {
        if (!['p1', 'p2'].includes(id)) throw new NotFoundError(`Could not find project: ${id}.`);
      });
      await catalog.ensureRegion('RegionOne');
      const compute = await catalog.ensureService('compute', 'nova');
      const image = await catalog.ensureService('image', 'glance');
      await catalog.ensureEndpoint(compute, 'public', 'http://c/v2.1/$(project_id)s', 'RegionOne');
      await catalog.ensureEndpoint(image, 'public', 'http://i', 'RegionOne');
      await catalog.ensureEndpoint(image, 'public', 'http://i2', 'RegionOne');
      expect((await catalog.listEndpoints({ serviceId: image })).map((e) => e.url)).toEqual(['http://i2']);

      const all = await catalog.catalogFor({ projectId: 'p1' });
      expect(all.map((s) => s.type).sort()).toEqual(['compute', 'image']);
      expect(all.find((s) => s.type === 'compute')!.endpoints[0]!.url).toBe('http://c/v2.1/p1');
      expect((await catalog.catalogFor({})).map((s) => s.type)).toEqual(['image']);

      const group = await filter.createGroup({ name: 'images', filters: { service_id: image } });
      await filter.associateGroup(group.id, 'p1');
      const limited = await catalog.catalogFor({ projectId: 'p1' }, await filter.endpointIdsForProject('p1'));
      expect(limited.map((s) => s.type)).toEqual(['image']);
      expect(await filter.endpointIdsForProject('p2')).toBeUndefined();
      await expect(filter.associateGroup(group.id, 'p3')).rejects.toBeInstanceOf(NotFoundError);
      await expect(filter.createGroup({ name: 'bad', filters: { colour: 'red' } })).rejects.toMatchObject({
        category: 'bad_request',
      });
      await filter.dissociateGroup(group.id, 'p1');
      await expect(filter.checkGroup(group.id, 'p1')).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await db.close();
    }
  });
});
