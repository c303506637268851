import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthSignature } from '../../manager/ext/oauth1-signature';
import { type ExtTestServer, startExtTestServer } from './testing/ext-test-server';

/** Signs as tempest's OAUTHTokenClient does, and renders the Authorization header. */
function signed(
  uri: string,
  consumer: { id: string; secret: string },
  token?: { key: string; secret: string; verifier?: string },
): string {
  const params: Record<string, string> = {
    oauth_nonce: String(Math.random()).slice(2),
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    oauth_signature_method: 'HMAC-SHA1',
    oauth_consumer_key: consumer.id,
  };
  if (token) params.oauth_token = token.key;
  if (!token) params.oauth_callback = 'oob';
  if (token?.verifier) params.oauth_verifier = token.verifier;
  params.oauth_signature = oauthSignature('POST', uri, params, consumer.secret, token?.secret);
  return `OAuth ${Object.entries(params)
    .map(([k, v]) => `${k}="${encodeURIComponent(v)}"`)
    .join(', ')}`;
}

const form = (text: string) => Object.fromEntries(text.split('&').map((kv) => kv.split('=')));

describe('OS-OAUTH1 API', () => {
  let s: ExtTestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startExtTestServer();
    for (const r of ['admin', 'member', 'reader']) s.core.addRole(r);
    s.core.addUser('root');
    s.core.addProject('p1');
    s.core.grant('root', 'p1', 'admin');
    s.core.grant('root', 'p1', 'member');
    admin = s.tokenFor('root', { projectId: 'p1' });
  });
  afterAll(() => s.close());

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      headers: { 'x-auth-token': token },
      ...(payload ? { payload: payload as object } : {}),
    });

  it('manages consumers, showing the secret only on create', async () => {
    const created = await call('POST', '/v3/OS-OAUTH1/consumers', admin, { consumer: { description: 'd1' } });
    expect(created.statusCode).toBe(201);
    const c = created.json().consumer;
    expect(c.secret).toBeTruthy();
    const shown = (await call('GET', `/v3/OS-OAUTH1/consumers/${c.id}`, admin)).json().consumer;
    expect(shown).toEqual({ id: c.id, description: 'd1', links: c.links });
    expect(
      (
        await call('PATCH', `/v3/OS-OAUTH1/consumers/${c.id}`, admin, { consumer: { description: 'd2' } })
      ).json().consumer.description,
    ).toBe('d2');
    expect(
      (await call('PATCH', `/v3/OS-OAUTH1/consumers/${c.id}`, admin, { consumer: { secret: 'x' } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call('GET', '/v3/OS-OAUTH1/consumers', admin)).json().consumers.map((x: { id: string }) => x.id),
    ).toContain(c.id);
    expect((await call('DELETE', `/v3/OS-OAUTH1/consumers/${c.id}`, admin)).statusCode).toBe(204);
    expect((await call('GET', `/v3/OS-OAUTH1/consumers/${c.id}`, admin)).statusCode).toBe(404);
  });

  it('runs the three-legged flow and revokes the access token', async () => {
    const consumer = (
      await call('POST', '/v3/OS-OAUTH1/consumers', admin, { consumer: { description: 'flow' } })
    ).json().consumer;
    const host = 'localhost:80';
    const rtUri = 'http://localhost/v3/OS-OAUTH1/request_token';
    const rt = await s.app.inject({
      method: 'POST',
      url: '/v3/OS-OAUTH1/request_token',
      headers: { authorization: signed(rtUri, consumer), 'requested-project-id': 'p1', host },
    });
    expect(rt.statusCode).toBe(201);
    expect(rt.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const request = form(rt.body);
    expect(request.oauth_token_secret).toBeTruthy();

    const badSig = await s.app.inject({
      method: 'POST',
      url: '/v3/OS-OAUTH1/request_token',
      headers: {
        authorization: signed(rtUri, { ...consumer, secret: 'x' }),
        'requested-project-id': 'p1',
        host,
      },
    });
    expect(badSig.statusCode).toBe(401);

    const auth = await call('PUT', `/v3/OS-OAUTH1/authorize/${request.oauth_token}`, admin, {
      roles: [{ id: 'member' }],
    });
    expect(auth.statusCode).toBe(200);
    const verifier = auth.json().token.oauth_verifier;
    expect(verifier).toHaveLength(8);

    const atUri = 'http://localhost/v3/OS-OAUTH1/access_token';
    const at = await s.app.inject({
      method: 'POST',
      url: '/v3/OS-OAUTH1/access_token',
      headers: {
        authorization: signed(atUri, consumer, {
          key: request.oauth_token,
          secret: request.oauth_token_secret,
          verifier,
        }),
        host,
      },
    });
    expect(at.statusCode).toBe(201);
    const access = form(at.body);
    const shown = (
      await call('GET', `/v3/users/root/OS-OAUTH1/access_tokens/${access.oauth_token}`, admin)
    ).json().access_token;
    expect(shown).toMatchObject({
      id: access.oauth_token,
      consumer_id: consumer.id,
      project_id: 'p1',
      authorizing_user_id: 'root',
      expires_at: access.oauth_expires_at,
    });
    const roles = (
      await call('GET', `/v3/users/root/OS-OAUTH1/access_tokens/${access.oauth_token}/roles`, admin)
    ).json().roles;
    expect(roles.map((r: { id: string }) => r.id)).toEqual(['member']);
    expect(
      (await call('GET', `/v3/users/root/OS-OAUTH1/access_tokens/${access.oauth_token}/roles/member`, admin))
        .statusCode,
    ).toBe(200);
    expect(
      (await call('GET', '/v3/users/root/OS-OAUTH1/access_tokens', admin)).json().access_tokens,
    ).toHaveLength(1);
    expect(
      (await call('DELETE', `/v3/users/root/OS-OAUTH1/access_tokens/${access.oauth_token}`, admin))
        .statusCode,
    ).toBe(204);
    expect(s.core.revoked).toContainEqual({ accessTokenId: access.oauth_token });
    expect(
      (await call('GET', `/v3/users/root/OS-OAUTH1/access_tokens/${access.oauth_token}`, admin)).statusCode,
    ).toBe(404);
  });
});
