import { NotFoundError } from '@nimbus/errors';
import type { ComputeRequest } from '../compute-request';
import { computeExtensions } from './compute-extensions';

function view(name: string, alias: string) {
  return {
    name,
    alias,
    description: `The ${name} extension of the compute API.`,
    namespace: 'http://docs.openstack.org/compute/ext/fake_xml',
    updated: '2014-12-03T00:00:00Z',
    links: [],
  };
}

/** `GET /extensions`: the frozen v2-compatible list. */
export async function listExtensions(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:extensions', {});
  return { extensions: computeExtensions.map(([n, a]) => view(n, a)) };
}

/** `GET /extensions/{alias}`. */
export async function showExtension(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:extensions', {});
  const alias = req.params.alias!;
  const found = computeExtensions.find(([, a]) => a === alias);
  if (!found) throw new NotFoundError('Unable to find extension');
  return { extension: view(found[0], found[1]) };
}
