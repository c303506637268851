import { placementService } from '@nimbus/placement';
import { rawHeaderNames, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Names webob, microversion-parse, Placement and oslo.middleware write, and Node's own. */
const PLACEMENT = [
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
];
const NODE = ['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'];

describe('placement writes header names as Placement does', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud([placementService], { api: { auth_strategy: 'noauth2' } });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('spells version, create, list, conflict and fault answers with upstream names only', async () => {
    const base = cloud.url('placement');
    const headers = { 'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39' };
    const json = { ...headers, 'content-type': 'application/json' };
    const answers = [
      await rawHeaderNames(`${base}/`, { headers }),
      await rawHeaderNames(`${base}/resource_providers`, {
        method: 'POST',
        headers: json,
        body: '{"name":"rp1"}',
      }),
      await rawHeaderNames(`${base}/resource_providers`, {
        method: 'POST',
        headers: json,
        body: '{"name":"rp1"}',
      }),
      await rawHeaderNames(`${base}/resource_classes`, { headers }),
      await rawHeaderNames(`${base}/resource_providers/nope`, { headers }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 409, 200, 404]);
    const names = answers.flatMap((a) => a.names);
    for (const name of names) expect([...PLACEMENT, ...NODE]).toContain(name);
    expect(names).toEqual(expect.arrayContaining(['openstack-api-version', 'vary', 'Content-Type']));
  });
});
