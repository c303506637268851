import { tableSpelling } from '@nimbus/http';

/**
 * Response header names as Placement (webob, under uwsgi) writes them: webob's `Content-Type`,
 * `Content-Length`, `Location`, `Cache-Control` and `Last-Modified`; microversion-parse's
 * `openstack-api-version` and `vary`, Placement's own `allow` and `www-authenticate`, and
 * oslo.middleware's `x-openstack-request-id`, all in lower case as their sources write them.
 */
export const placementHeaderSpelling = tableSpelling([
  'Content-Type',
  'Content-Length',
  'Location',
  'Cache-Control',
  'Last-Modified',
  'openstack-api-version',
  'vary',
  'allow',
  'www-authenticate',
  'x-openstack-request-id',
]);
