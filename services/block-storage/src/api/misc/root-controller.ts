import { type ApiVersion, respond, versionDocument, versionsReply } from '@nimbus/http';
import type { Req } from '../cinder-request';

/** The microversions this API serves. */
export const VOLUME_MICROVERSIONS = { service: 'volume', min: '3.0', max: '3.70' } as const;

const v3: ApiVersion = {
  id: 'v3.0',
  status: 'CURRENT',
  updated: '2022-08-31T00:00:00Z',
  path: '/v3',
  mediaType: 'application/vnd.openstack.volume+json;version=3',
  minVersion: VOLUME_MICROVERSIONS.min,
  version: VOLUME_MICROVERSIONS.max,
};

function withDescribedBy(req: Req) {
  const doc = versionDocument(req, v3);
  (doc.links as unknown[]).push({
    rel: 'describedby',
    type: 'text/html',
    href: 'https://docs.openstack.org/',
  });
  return doc;
}

/** `GET /`: every version (300 Multiple Choices). */
export function listVersions(req: Req) {
  const reply = versionsReply(req, [v3]);
  return respond(300, { versions: [withDescribedBy(req)] }, reply.headers);
}

/** `GET /v3/`: this version's document (200). */
export function showVersion(req: Req) {
  return { versions: [withDescribedBy(req)] };
}
