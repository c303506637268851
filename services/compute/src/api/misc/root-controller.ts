import type { ApiRequest } from '@nimbus/http';
import { COMPUTE_MAX_MICROVERSION, COMPUTE_MIN_MICROVERSION } from '../compute-microversions';

function v21(req: ApiRequest) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: COMPUTE_MAX_MICROVERSION,
    min_version: COMPUTE_MIN_MICROVERSION,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${req.baseUrl}/v2.1/` }],
  };
}

/** `GET /`: the API versions. */
export function listVersions(req: ApiRequest) {
  return {
    versions: [
      {
        id: 'v2.0',
        status: 'SUPPORTED',
        version: '',
        min_version: '',
        updated: '2011-01-21T11:33:21Z',
        links: [{ rel: 'self', href: `${req.baseUrl}/v2/` }],
      },
      v21(req),
    ],
  };
}

/** `GET /v2`: the legacy version's document (the same API without microversions). */
export function showLegacyVersion(req: ApiRequest) {
  return {
    version: {
      id: 'v2.0',
      status: 'SUPPORTED',
      version: '',
      min_version: '',
      updated: '2011-01-21T11:33:21Z',
      links: [
        { rel: 'self', href: `${req.baseUrl}/v2/` },
        { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      ],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }],
    },
  };
}

/** `GET /v2.1`: this version's document. */
export function showVersion(req: ApiRequest) {
  return {
    version: {
      ...v21(req),
      links: [
        { rel: 'self', href: `${req.baseUrl}/v2.1/` },
        { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      ],
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
      ],
    },
  };
}
