import type { ApiRequest } from '@nimbus/http';
import { NeutronError } from '../manager/network-errors';
import type { NetworkServices } from './network-services';

type Req = ApiRequest<unknown, NetworkServices>;

/** `GET /`: the one version, v2.0 (200, as Neutron answers it). */
export function listVersions(req: Req) {
  return {
    versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${req.baseUrl}/v2.0/`, rel: 'self' }] }],
  };
}

/** `GET /v2.0/`: the core collections and their links. */
export function listCoreResources(req: Req) {
  const core = [
    ['subnet', 'subnets'],
    ['network', 'networks'],
    ['port', 'ports'],
  ];
  return {
    resources: core.map(([name, collection]) => ({
      name,
      collection,
      links: [{ rel: 'self', href: `${req.baseUrl}/v2.0/${collection}` }],
    })),
  };
}

/** `GET /v2.0/extensions`: exactly the aliases this service implements. */
export function listExtensions(req: Req) {
  return { extensions: req.services.extensions.map(extensionView) };
}

/** `GET /v2.0/extensions/{alias}`. */
export function showExtension(req: Req) {
  const ext = req.services.extensions.find((e) => e.alias === req.params.alias);
  if (!ext) {
    throw new NeutronError(
      'not_found',
      'HTTPNotFound',
      `Extension with alias ${req.params.alias} does not exist`,
    );
  }
  return { extension: extensionView(ext) };
}

function extensionView(e: NetworkServices['extensions'][number]) {
  return { name: e.name, alias: e.alias, description: e.description, updated: e.updated, links: [] };
}
