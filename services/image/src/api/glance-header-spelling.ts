import { tableSpelling } from '@nimbus/http';

/**
 * Response header names as Glance (webob, under uwsgi) writes them: webob's `Content-Type`,
 * `Content-Length`, `Location`; Glance's own `Content-MD5`, `Content-Range`, `Accept-Patch`,
 * `Allow`, and the discovery headers `OpenStack-image-import-methods` and
 * `OpenStack-image-store-ids` spelled as its images controller writes them; oslo.middleware's
 * request id filter writes `x-openstack-request-id` in lower case.
 */
export const glanceHeaderSpelling = tableSpelling([
  'Content-Type',
  'Content-Length',
  'Content-MD5',
  'Content-Range',
  'Location',
  'Accept-Patch',
  'Allow',
  'OpenStack-image-import-methods',
  'OpenStack-image-store-ids',
  'x-openstack-request-id',
]);
