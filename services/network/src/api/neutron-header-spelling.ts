import { tableSpelling } from '@nimbus/http';

/**
 * Response header names as Neutron (pecan on webob) writes them: webob's `Content-Type`,
 * `Content-Length`, `Location`, `Allow`, and oslo.middleware's request id filter's lower-case
 * `x-openstack-request-id`.
 */
export const neutronHeaderSpelling = tableSpelling([
  'Content-Type',
  'Content-Length',
  'Location',
  'Allow',
  'x-openstack-request-id',
]);
