import { type ApiVersion, respond, route, type Route, versionDocument, versionsReply } from '@nimbus/http';
import type { IdentityRequest } from '../keystone-api';

/** Keystone 22 speaks identity v3.14. */
export const IDENTITY_V3: ApiVersion = {
  id: 'v3.14',
  status: 'stable',
  updated: '2020-04-07T00:00:00Z',
  path: '/v3',
  mediaType: 'application/vnd.openstack.identity-v3+json',
};

/** Version discovery: `/` lists versions (300), `/v3` describes v3. */
export const versionRoutes: Route[] = [
  route('GET', '/', (req: IdentityRequest) => versionsReply(req, [IDENTITY_V3], 'keystone'), {
    public: true,
  }),
  route(
    'GET',
    '/v3',
    (req: IdentityRequest) => respond(200, { version: versionDocument(req, IDENTITY_V3) }),
    { public: true },
  ),
];
