import { describe, expect, it } from 'vitest';
import { buildCatalog, fillEndpointUrl } from './build-catalog';

describe('catalog', () => {
  it('fills URL templates in every upstream spelling', () => {
    expect(fillEndpointUrl('http://h:8080/v1/AUTH_$(project_id)s', { projectId: 'p1' })).toBe(
      'http://h:8080/v1/AUTH_p1',
    );
    expect(fillEndpointUrl('http://h:8774/v2.1/%(tenant_id)s', { projectId: 'p1' })).toBe(
      'http://h:8774/v2.1/p1',
    );
    expect(fillEndpointUrl('http://h:8080/v1/AUTH_$(project_id)s', {})).toBeUndefined();
    expect(fillEndpointUrl('http://h:5000/v3', {})).toBe('http://h:5000/v3');
  });

  it('lists enabled services with enabled endpoints, leaving out what the scope cannot fill', () => {
    const services = [
      { id: 's1', type: 'identity', name: 'keystone', enabled: true },
      { id: 's2', type: 'object-store', name: 'swift', enabled: true },
      { id: 's3', type: 'image', name: 'glance', enabled: false },
    ];
    const endpoints = [
      {
        id: 'e1',
        serviceId: 's1',
        interface: 'public' as const,
        regionId: 'RegionOne',
        url: 'http://h:5000/v3',
        enabled: true,
      },
      {
        id: 'e2',
        serviceId: 's1',
        interface: 'admin' as const,
        regionId: 'RegionOne',
        url: 'http://h:5000/v3',
        enabled: false,
      },
      {
        id: 'e3',
        serviceId: 's2',
        interface: 'public' as const,
        regionId: 'RegionOne',
        url: 'http://h:8080/v1/AUTH_$(project_id)s',
        enabled: true,
      },
      {
        id: 'e4',
        serviceId: 's3',
        interface: 'public' as const,
        regionId: 'RegionOne',
        url: 'http://h:9292',
        enabled: true,
      },
    ];
    expect(buildCatalog(services, endpoints, {}).map((c) => c.type)).toEqual(['identity']);
    const scoped = buildCatalog(services, endpoints, { projectId: 'p1' });
    expect(scoped).toEqual([
      {
        id: 's1',
        type: 'identity',
        name: 'keystone',
        endpoints: [
          {
            id: 'e1',
            interface: 'public',
            region: 'RegionOne',
            region_id: 'RegionOne',
            url: 'http://h:5000/v3',
          },
        ],
      },
      {
        id: 's2',
        type: 'object-store',
        name: 'swift',
        endpoints: [
          {
            id: 'e3',
            interface: 'public',
            region: 'RegionOne',
            region_id: 'RegionOne',
            url: 'http://h:8080/v1/AUTH_p1',
          },
        ],
      },
    ]);
  });
});
