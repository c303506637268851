import { respond, route, type Route } from '@nimbus/http';
import type { ImageRequest } from '../image-request';

/**
 * The versions Glance 25 lists with `enabled_backends`: with the image cache, v2.16 current and
 * v2.15 and v2.14 (the cache API) supported; without it, v2.15 current. Then v2.13 down to v2.0.
 */
const CACHE_VERSIONS: [string, string][] = [
  ['2.16', 'CURRENT'],
  ['2.15', 'SUPPORTED'],
  ['2.14', 'SUPPORTED'],
];
const OLDER_VERSIONS: [string, string][] = [
  ...[
    '2.13',
    '2.12',
    '2.11',
    '2.10',
    '2.9',
    '2.8',
    '2.7',
    '2.6',
    '2.5',
    '2.4',
    '2.3',
    '2.2',
    '2.1',
    '2.0',
  ].map((v): [string, string] => [v, 'SUPPORTED']),
];

function versions(req: ImageRequest) {
  const top: [string, string][] = req.services.cache ? CACHE_VERSIONS : [['2.15', 'CURRENT']];
  return {
    versions: [...top, ...OLDER_VERSIONS].map(([id, status]) => ({
      id: `v${id}`,
      status,
      links: [{ rel: 'self', href: `${req.baseUrl}/v2/` }],
    })),
  };
}

/** `/` (300 Multiple Choices) and `/versions` (200), as Glance answers them. */
export const versionRoutes: Route[] = [
  route('GET', '/', (req: ImageRequest) => respond(300, versions(req)), { public: true }),
  route('GET', '/versions', (req: ImageRequest) => versions(req), { public: true }),
];
