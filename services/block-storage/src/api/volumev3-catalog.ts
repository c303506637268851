import type { ServiceClients } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import type { CloudEndpoint } from '@nimbus/service';

/**
 * Registers the same endpoint under the legacy catalog type `volumev3` (service `cinderv3`), as
 * DevStack does: Tempest and older clients look for `volumev3`, newer ones for `block-storage`.
 * Runs once every API listens and identity has bootstrapped the catalog; idempotent.
 */
export async function registerVolumeV3(
  clients: ServiceClients,
  endpoints: readonly CloudEndpoint[],
  logger: Logger,
): Promise<void> {
  const own = endpoints.find((e) => e.type === 'block-storage');
  if (!own) return;
  const identity = clients.forType('identity');
  try {
    const services = await identity.json<{ services: { id: string; type: string }[] }>({
      method: 'GET',
      path: '/services',
      query: { type: 'volumev3' },
    });
    let serviceId = services.services.find((s) => s.type === 'volumev3')?.id;
    if (!serviceId) {
      const created = await identity.json<{ service: { id: string } }>({
        method: 'POST',
        path: '/services',
        json: { service: { type: 'volumev3', name: 'cinderv3', enabled: true } },
      });
      serviceId = created.service.id;
    }
    const existing = await identity.json<{ endpoints: { interface: string }[] }>({
      method: 'GET',
      path: '/endpoints',
      query: { service_id: serviceId },
    });
    const have = new Set(existing.endpoints.map((e) => e.interface));
    const region = await identity.json<{ regions: { id: string }[] }>({ method: 'GET', path: '/regions' });
    const regionId = region.regions[0]?.id ?? 'RegionOne';
    for (const iface of ['public', 'internal', 'admin']) {
      if (have.has(iface)) continue;
      await identity.json({
        method: 'POST',
        path: '/endpoints',
        json: {
          endpoint: { service_id: serviceId, interface: iface, url: own.catalogUrl, region_id: regionId },
        },
      });
    }
  } catch (err) {
    logger.warn({ err }, 'block-storage: could not register the volumev3 catalog entry');
  }
}
