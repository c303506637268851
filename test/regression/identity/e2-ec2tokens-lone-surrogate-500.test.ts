import { createHmac } from 'node:crypto';
import { identityService } from '@nimbus/identity';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by the hostile-input sweep (E2): /v3/ec2tokens with a lone surrogate in `params`, or with
// `params` that is not an object, answered 500 (URIError from the query escaping). A lone
// surrogate only makes the signature not match (401); a body of the wrong shape is a 400.

const UNAUTHORIZED = {
  error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
};

describe('/v3/ec2tokens with hostile params', () => {
  let cloud: TestCloud;
  let access: string;
  let secret: string;

  const ec2tokens = async (credentials: unknown) => {
    const r = await fetch(`${cloud.url('identity')}/v3/ec2tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credentials }),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const base = () => ({
    access,
    signature: 'xx',
    host: 'h',
    verb: 'GET',
    path: '/',
    headers: {},
  });
  const v2 = (extra: Record<string, string>) => ({
    SignatureVersion: '2',
    SignatureMethod: 'HmacSHA256',
    AWSAccessKeyId: access,
    ...extra,
  });

  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
    const admin = await adminToken(cloud);
    const me = await fetch(`${cloud.url('identity')}/v3/auth/tokens`, {
      headers: { 'x-auth-token': admin.token, 'x-subject-token': admin.token },
    });
    const userId = ((await me.json()) as { token: { user: { id: string } } }).token.user.id;
    const created = await fetch(`${cloud.url('identity')}/v3/users/${userId}/credentials/OS-EC2`, {
      method: 'POST',
      headers: { 'x-auth-token': admin.token, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_id: admin.projectId }),
    });
    expect(created.status).toBe(201);
    ({ access, secret } = (
      (await created.json()) as { credential: { access: string; secret: string } }
    ).credential);
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers 401 to a lone surrogate in a param value or name', async () => {
    expect(await ec2tokens({ ...base(), params: v2({ x: '\ud800' }) })).toEqual({
      status: 401,
      body: UNAUTHORIZED,
    });
    expect(await ec2tokens({ ...base(), params: v2({ '\udc00': 'x' }) })).toEqual({
      status: 401,
      body: UNAUTHORIZED,
    });
  });

  it('answers 401 to a lone surrogate in a signed header (signature version 4)', async () => {
    const r = await ec2tokens({
      ...base(),
      params: {},
      headers: {
        Authorization:
          'AWS4-HMAC-SHA256 Credential=a/20260101/r/ec2/aws4_request, SignedHeaders=host;x, Signature=xx',
        'X-Amz-Date': '20260101T000000Z',
        host: 'h',
        x: '\ud800',
      },
    });
    expect(r).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it.each([
    ['a string', '\ud800'],
    ['an array', ['\ud800']],
    ['an object of objects', { x: {} }],
    ['an object of numbers', { x: 1 }],
  ])('answers 400 when params is %s', async (_what, params) => {
    const r = await ec2tokens({ ...base(), params });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 400, title: 'Bad Request' });
    expect(r.body.error.message).toContain("Invalid input for field 'credentials/params");
  });

  it('answers 400 when headers is not an object of strings', async () => {
    const r = await ec2tokens({ ...base(), params: v2({}), headers: '\ud800' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("Invalid input for field 'credentials/headers'");
  });

  it('still issues a token for a correctly signed request with non-ASCII and reserved characters', async () => {
    const params = v2({ Action: 'DescribeImages', Filter: "é (x)*!'~" });
    const rfc3986 = (s: string) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const query = Object.keys(params)
      .sort()
      .map((k) => `${rfc3986(k)}=${rfc3986(params[k as keyof typeof params])}`)
      .join('&');
    const signature = createHmac('sha256', secret).update(`GET\nh\n/\n${query}`).digest('base64');
    const r = await ec2tokens({ ...base(), signature, params });
    expect(r.status).toBe(200);
    expect(r.body.token.methods).toEqual(['ec2credential']);
  });
});
