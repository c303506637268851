import { tableSpelling } from '@nimbus/http';

/**
 * Response header names as Keystone (Flask, under uwsgi) writes them: its own code names
 * `X-Subject-Token`, `Openstack-Auth-Receipt`, `Vary`, `Location` and `WWW-Authenticate` so,
 * Werkzeug adds `Content-Type` and `Content-Length`, and oslo.middleware's request id filter
 * writes `x-openstack-request-id` in lower case.
 */
export const keystoneHeaderSpelling = tableSpelling([
  'Content-Type',
  'Content-Length',
  'X-Subject-Token',
  'Openstack-Auth-Receipt',
  'Vary',
  'Location',
  'WWW-Authenticate',
  'Allow',
  'x-openstack-request-id',
]);
