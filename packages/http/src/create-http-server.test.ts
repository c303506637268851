import type { Credentials, TokenValidator } from '@nimbus/auth';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '@nimbus/errors';
import { silentLogger } from '@nimbus/logging';
import { describe, expect, it } from 'vitest';
import { respond } from './api-request';
import { createHttpServer } from './create-http-server';
import { keystoneFaults, novaFaults } from './fault-renderers';
import { route } from './route';
import { novaValidationMessage } from './validation';
import { versionsReply } from './version-discovery';

const creds = (roles: string[]): Credentials => ({
  token: 't',
  userId: 'u1',
  userName: 'alice',
  userDomainId: 'default',
  userDomainName: 'Default',
  projectId: 'p1',
  roles,
  roleIds: [],
  isAdminProject: false,
  methods: ['password'],
  auditIds: ['a'],
  issuedAt: new Date(),
  expiresAt: new Date(Date.now() + 3600_000),
});

const validator: TokenValidator = {
  async validate(token) {
    if (token === 'admin') return creds(['admin']);
    if (token === 'member') return creds(['member']);
    throw new UnauthorizedError('The request you have made requires authentication.');
  },
};

const policy = {
  authorize(action: string, _t: Record<string, unknown>, c: Credentials) {
    if (!this.allowed(action, _t, c)) throw new ForbiddenError(`Policy doesn't allow ${action} to be performed.`);
  },
  allowed(_action: string, _t: Record<string, unknown>, c: Credentials) {
    return c.roles.includes('admin');
  },
};

const widgetBody = {
  type: 'object',
  properties: { widget: { type: 'object', properties: { name: { type: 'string', maxLength: 5 } }, required: ['name'], additionalProperties: false } },
  required: ['widget'],
  additionalProperties: false,
};

function keystoneLike() {
  return createHttpServer({
    name: 'test',
    faults: keystoneFaults,
    tokenValidator: validator,
    policy,
    services: { greeting: 'hi' },
    logger: silentLogger(),
    bodyLimitBytes: 1024,
    routes: [
      route('GET', '/', () => ({ version: 'v1' }), { public: true }),
      route('GET', '/versions', (req) => versionsReply(req, [{ id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z', path: '/v3', mediaType: 'application/vnd.openstack.identity-v3+json' }], 'keystone'), { public: true }),
      route('GET', '/search', (req) => ({ limit: req.query.limit }), { public: true, query: { type: 'object', properties: { limit: { type: 'string', pattern: '^[0-9]+$' } }, additionalProperties: false } }),
      route('POST', '/widgets', (req) => ({ widget: { ...req.body.widget, id: 'w1' } }), { body: widgetBody, status: 201 }),
      route('GET', '/widgets/:id', (req) => {
        req.authorize('test:get_widget');
        if (req.params.id !== 'w1') throw new NotFoundError(`Could not find widget: ${req.params.id}.`);
        return { widget: { id: 'w1', greeting: req.services.greeting } };
      }),
      route('DELETE', '/widgets/:id', () => undefined),
      route('GET', '/explicit', () => respond(202, { ok: true }, { 'x-extra': '1' })),
      route('GET', '/boom', () => {
        throw new Error('secret internals');
      }),
    ],
  });
}

describe('createHttpServer', () => {
  it('puts a request id on every response, errors and 404s included', async () => {
    const app = keystoneLike();
    for (const url of ['/', '/nope', '/widgets/w1']) {
      const res = await app.inject({ url });
      expect(res.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    }
  });

  it('serves public routes without a token and requires one elsewhere (401, Keystone body)', async () => {
    const app = keystoneLike();
    expect((await app.inject({ url: '/' })).json()).toEqual({ version: 'v1' });
    const res = await app.inject({ url: '/widgets/w1' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    expect((await app.inject({ url: '/widgets/w1', headers: { 'x-auth-token': 'bogus' } })).statusCode).toBe(401);
  });

  it('checks policy and renders domain errors', async () => {
    const app = keystoneLike();
    expect((await app.inject({ url: '/widgets/w1', headers: { 'x-auth-token': 'member' } })).statusCode).toBe(403);
    const ok = await app.inject({ url: '/widgets/w1', headers: { 'x-auth-token': 'admin' } });
    expect(ok.json()).toEqual({ widget: { id: 'w1', greeting: 'hi' } });
    const missing = await app.inject({ url: '/widgets/w2', headers: { 'x-auth-token': 'admin' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('Could not find widget: w2.');
  });

  it('validates bodies strictly, with upstream-worded messages', async () => {
    const app = keystoneLike();
    const post = (payload: unknown) => app.inject({ method: 'POST', url: '/widgets', headers: { 'x-auth-token': 'admin' }, payload: payload as object });
    expect((await post({ widget: { name: 'ok' } })).statusCode).toBe(201);
    const wrongType = await post({ widget: { name: 5 } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toBe("Invalid input for field 'widget/name': 5 is not of type 'string'");
    const extra = await post({ widget: { name: 'a', color: 'red' } });
    expect(extra.json().error.message).toContain("Additional properties are not allowed ('color' was unexpected)");
    expect((await post({ widget: { name: 'toolong' } })).statusCode).toBe(400);
  });

  it('rejects malformed JSON, wrong content types and oversize bodies without crashing', async () => {
    const app = keystoneLike();
    const headers = { 'x-auth-token': 'admin', 'content-type': 'application/json' };
    const bad = await app.inject({ method: 'POST', url: '/widgets', headers, payload: '{"widget": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.title).toBe('Bad Request');
    const media = await app.inject({ method: 'POST', url: '/widgets', headers: { ...headers, 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(media.statusCode).toBe(415);
    const big = await app.inject({ method: 'POST', url: '/widgets', headers, payload: JSON.stringify({ widget: { name: 'x'.repeat(2000) } }) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe(413);
  });

  it('validates query strings and answers bad ones with 400', async () => {
    const app = keystoneLike();
    expect((await app.inject({ url: '/search?limit=5' })).json()).toEqual({ limit: '5' });
    const bad = await app.inject({ url: '/search?limit=-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe("Invalid input for field 'limit': '-1' does not match '^[0-9]+$'");
    expect((await app.inject({ url: '/search?sort=x' })).statusCode).toBe(400);
  });

  it('renders version documents with self links from the request host', async () => {
    const res = await keystoneLike().inject({ url: '/versions', headers: { host: 'cloud.example:5000' } });
    expect(res.statusCode).toBe(300);
    expect(res.json().versions.values[0]).toEqual({
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: 'http://cloud.example:5000/v3/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    });
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const res = await keystoneLike().inject({ method: 'PUT', url: '/widgets/w1' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toContain('GET');
    expect(res.headers.allow).toContain('DELETE');
  });

  it('hides unexpected errors behind a 500 that names the request id', async () => {
    const res = await keystoneLike().inject({ url: '/boom', headers: { 'x-auth-token': 'admin' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internals');
    expect(res.json().error.message).toContain(String(res.headers['x-openstack-request-id']));
  });

  it('sends explicit replies and 204s', async () => {
    const app = keystoneLike();
    const explicit = await app.inject({ url: '/explicit', headers: { 'x-auth-token': 'admin' } });
    expect(explicit.statusCode).toBe(202);
    expect(explicit.headers['x-extra']).toBe('1');
    expect((await app.inject({ method: 'DELETE', url: '/widgets/w1', headers: { 'x-auth-token': 'admin' } })).statusCode).toBe(204);
  });

  it('serves /healthcheck and /metrics', async () => {
    const app = keystoneLike();
    expect((await app.inject({ url: '/healthcheck' })).body).toBe('OK');
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('nimbus_http_request_duration_seconds');
  });
});

describe('microversions', () => {
  const app = createHttpServer({
    name: 'compute',
    faults: novaFaults,
    validationMessage: novaValidationMessage,
    microversions: { service: 'compute', min: '2.1', max: '2.90', legacyHeaders: ['X-OpenStack-Nova-API-Version'] },
    requestIdHeaders: ['x-openstack-request-id', 'x-compute-request-id'],
    services: {},
    logger: silentLogger(),
    routes: [
      route('GET', '/v', (req) => ({ v: String(req.microversion) }), { public: true }),
      route('GET', '/new', () => ({ v: 'new' }), { public: true, since: '2.50' }),
      route('GET', '/split', () => ({ v: 'old' }), { public: true, until: '2.59' }),
      route('GET', '/split', () => ({ v: 'new' }), { public: true, since: '2.60' }),
    ],
  });

  it('defaults to the minimum and honours latest, the modern and the legacy header', async () => {
    expect((await app.inject({ url: '/v' })).json()).toEqual({ v: '2.1' });
    const latest = await app.inject({ url: '/v', headers: { 'openstack-api-version': 'compute latest' } });
    expect(latest.json()).toEqual({ v: '2.90' });
    expect(latest.headers['openstack-api-version']).toBe('compute 2.90');
    expect(latest.headers['x-compute-request-id']).toBe(latest.headers['x-openstack-request-id']);
    expect((await app.inject({ url: '/v', headers: { 'openstack-api-version': 'volume 3.5, compute 2.37' } })).json()).toEqual({ v: '2.37' });
    expect((await app.inject({ url: '/v', headers: { 'x-openstack-nova-api-version': '2.12' } })).json()).toEqual({ v: '2.12' });
  });

  it('answers 406 out of range and 400 when malformed, in Nova style', async () => {
    const high = await app.inject({ url: '/v', headers: { 'openstack-api-version': 'compute 2.91' } });
    expect(high.statusCode).toBe(406);
    expect(high.json().notAcceptable.message).toBe('Version 2.91 is not supported by the API. Minimum is 2.1 and maximum is 2.90.');
    const bad = await app.inject({ url: '/v', headers: { 'openstack-api-version': 'compute two' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().badRequest.code).toBe(400);
  });

  it('gates routes by version', async () => {
    expect((await app.inject({ url: '/new' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/new', headers: { 'openstack-api-version': 'compute 2.50' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/split', headers: { 'openstack-api-version': 'compute 2.59' } })).json()).toEqual({ v: 'old' });
    expect((await app.inject({ url: '/split', headers: { 'openstack-api-version': 'compute 2.60' } })).json()).toEqual({ v: 'new' });
  });
});
