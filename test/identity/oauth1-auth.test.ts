import { createHmac } from 'node:crypto';
import { identityService } from '@nimbus/identity';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `oauth1` auth method over HTTP, with oauth-1.0a signing as an OAuth1 consumer would: a
// consumer gets a request token, the admin authorizes it for one role, the consumer trades it for
// an access token and then exchanges signed requests for Keystone tokens carrying only that role.
describe('identity: the oauth1 auth method', () => {
  let cloud: TestCloud;
  let base: string;
  let admin: { token: string; projectId: string };
  let adminUserId: string;
  let roles: Record<string, string>;

  const call = async (
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(opts.token ? { 'x-auth-token': opts.token } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await r.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // OS-OAUTH1 answers form-encoded bodies.
    }
    return { status: r.status, headers: r.headers, body };
  };

  /** The Authorization header of a request signed by `consumer` (and `token`), as a client makes it. */
  const sign = (
    method: string,
    path: string,
    consumer: { id: string; secret: string },
    token?: { key: string; secret: string },
    extra: Record<string, string> = {},
  ) => {
    const oauth = new OAuth({
      consumer: { key: consumer.id, secret: consumer.secret },
      signature_method: 'HMAC-SHA1',
      hash_function: (text, key) => createHmac('sha1', key).update(text).digest('base64'),
    });
    const data = oauth.authorize({ url: `${base}${path}`, method, data: extra }, token);
    return oauth.toHeader({ ...data, ...extra } as OAuth.Authorization).Authorization;
  };
  const form = (text: string) => Object.fromEntries(new URLSearchParams(text));
  const oauthLogin = (header: string, scope?: unknown) =>
    call('POST', '/v3/auth/tokens', {
      headers: { authorization: header },
      body: { auth: { identity: { methods: ['oauth1'], oauth1: {} }, ...(scope ? { scope } : {}) } },
    });

  /** A consumer and an access token authorized by the admin for `reader` on the admin project. */
  async function accessToken() {
    const consumer = (
      await call('POST', '/v3/OS-OAUTH1/consumers', { token: admin.token, body: { consumer: {} } })
    ).body.consumer;
    const rt = await call('POST', '/v3/OS-OAUTH1/request_token', {
      headers: {
        authorization: sign('POST', '/v3/OS-OAUTH1/request_token', consumer, undefined, {
          oauth_callback: 'oob',
        }),
        'requested-project-id': admin.projectId,
      },
    });
    expect(rt.status).toBe(201);
    const request = form(rt.body);
    const authorized = await call('PUT', `/v3/OS-OAUTH1/authorize/${request.oauth_token}`, {
      token: admin.token,
      body: { roles: [{ name: 'reader' }] },
    });
    expect(authorized.status).toBe(200);
    const at = await call('POST', '/v3/OS-OAUTH1/access_token', {
      headers: {
        authorization: sign(
          'POST',
          '/v3/OS-OAUTH1/access_token',
          consumer,
          { key: request.oauth_token!, secret: request.oauth_token_secret! },
          { oauth_verifier: authorized.body.token.oauth_verifier },
        ),
      },
    });
    expect(at.status).toBe(201);
    const access = form(at.body);
    return { consumer, access: { key: access.oauth_token!, secret: access.oauth_token_secret! } };
  }

  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
    base = cloud.url('identity');
    admin = await adminToken(cloud);
    const shown = await call('GET', '/v3/auth/tokens', {
      token: admin.token,
      headers: { 'x-subject-token': admin.token },
    });
    adminUserId = shown.body.token.user.id;
    roles = Object.fromEntries(
      (await call('GET', '/v3/roles', { token: admin.token })).body.roles.map(
        (r: { id: string; name: string }) => [r.name, r.id],
      ),
    );
  }, 60_000);
  afterAll(() => cloud?.stop());

  it('exchanges a signed access token for a token scoped to its project with only its roles', async () => {
    const { consumer, access } = await accessToken();
    // The request's own scope is ignored: the access token decides it.
    const r = await oauthLogin(sign('POST', '/v3/auth/tokens', consumer, access), { system: { all: true } });
    expect(r.status).toBe(201);
    const t = r.body.token;
    expect(t.methods).toEqual(['oauth1']);
    expect(t.user.id).toBe(adminUserId);
    expect(t.project.id).toBe(admin.projectId);
    expect(t.roles.map((x: { name: string }) => x.name)).toEqual(['reader']);
    expect(t['OS-OAUTH1']).toEqual({ access_token_id: access.key, consumer_id: consumer.id });

    // The token validates with the same roles and refuses what only an admin may do.
    const token = r.headers.get('x-subject-token')!;
    const validated = await call('GET', '/v3/auth/tokens', {
      token: admin.token,
      headers: { 'x-subject-token': token },
    });
    expect(validated.status).toBe(200);
    expect(validated.body.token['OS-OAUTH1'].access_token_id).toBe(access.key);
    expect(validated.body.token.roles.map((x: { id: string }) => x.id)).toEqual([roles.reader]);
    expect((await call('POST', '/v3/OS-OAUTH1/consumers', { token, body: { consumer: {} } })).status).toBe(
      403,
    );
    // A token obtained by delegation may not delegate again, nor be rescoped with `token`.
    expect((await call('GET', `/v3/users/${adminUserId}/OS-OAUTH1/access_tokens`, { token })).status).toBe(
      403,
    );
    const rescope = await call('POST', '/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['token'], token: { id: token } } } },
    });
    expect(rescope.status).toBe(403);

    // Deleting the access token revokes the tokens obtained with it, and no new one is issued.
    expect(
      (
        await call('DELETE', `/v3/users/${adminUserId}/OS-OAUTH1/access_tokens/${access.key}`, {
          token: admin.token,
        })
      ).status,
    ).toBe(204);
    expect(
      (await call('GET', '/v3/auth/tokens', { token: admin.token, headers: { 'x-subject-token': token } }))
        .status,
    ).toBe(404);
    expect((await oauthLogin(sign('POST', '/v3/auth/tokens', consumer, access))).status).toBe(404);
  });

  it('refuses a bad signature, another consumer and a request without oauth_token', async () => {
    const { consumer, access } = await accessToken();
    const wrongSecret = sign('POST', '/v3/auth/tokens', consumer, { ...access, secret: 'not-the-secret' });
    expect((await oauthLogin(wrongSecret)).status).toBe(401);
    const other = (
      await call('POST', '/v3/OS-OAUTH1/consumers', { token: admin.token, body: { consumer: {} } })
    ).body.consumer;
    expect((await oauthLogin(sign('POST', '/v3/auth/tokens', other, access))).status).toBe(401);
    // Signed for another URL (a query string that was not sent is part of the signature).
    expect((await oauthLogin(sign('POST', '/v3/auth/tokens?nocatalog=1', consumer, access))).status).toBe(
      401,
    );
    const noToken = await oauthLogin(sign('POST', '/v3/auth/tokens', consumer));
    expect(noToken.status).toBe(400);
    expect(noToken.body.error.message).toContain('oauth_token');
    expect((await oauthLogin('')).status).toBe(400);
  });

  it('signs query parameters too; deleting the consumer ends its tokens', async () => {
    const { consumer, access } = await accessToken();
    const header = sign('POST', '/v3/auth/tokens?nocatalog=1', consumer, access);
    const r = await call('POST', '/v3/auth/tokens?nocatalog=1', {
      headers: { authorization: header },
      body: { auth: { identity: { methods: ['oauth1'], oauth1: {} } } },
    });
    expect(r.status).toBe(201);
    expect(r.body.token.catalog).toBeUndefined();
    const token = r.headers.get('x-subject-token')!;
    const validate = () =>
      call('GET', '/v3/auth/tokens', { token: admin.token, headers: { 'x-subject-token': token } });
    expect((await validate()).status).toBe(200);
    expect(
      (await call('DELETE', `/v3/OS-OAUTH1/consumers/${consumer.id}`, { token: admin.token })).status,
    ).toBe(204);
    expect((await validate()).status).toBe(404);
  });
});
