import { CachingTokenValidator } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityTokenValidator } from './identity-token-validator';
import { RestClient } from './rest-client';
import { Session } from './session';

// A stand-in identity API with Keystone's token document shapes, on a real port.
const identity = fastify();
let validations = 0;
const tokenDoc = {
  methods: ['password'],
  user: { id: 'u1', name: 'alice', domain: { id: 'default', name: 'Default' } },
  project: { id: 'p1', name: 'demo', domain: { id: 'default', name: 'Default' } },
  roles: [{ id: 'r1', name: 'member' }, { id: 'r2', name: 'reader' }],
  audit_ids: ['abc'],
  issued_at: '2026-11-24T19:00:00.000000Z',
  expires_at: '2099-01-01T00:00:00.000000Z',
  catalog: [{ id: 's1', type: 'image', name: 'glance', endpoints: [{ id: 'e1', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: '' }] }],
};
identity.post('/v3/auth/tokens', async (req, reply) => {
  const body = req.body as { auth: { identity: { password?: { user: { password: string } } } } };
  if (body.auth.identity.password?.user.password !== 'pw') return reply.code(401).send({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
  return reply.code(201).header('x-subject-token', 'service-token').send({ token: tokenDoc });
});
identity.get('/v3/auth/tokens', async (req, reply) => {
  validations++;
  if (req.headers['x-auth-token'] !== 'service-token') return reply.code(401).send({ error: { code: 401, message: 'no', title: 'Unauthorized' } });
  if (req.headers['x-subject-token'] !== 'user-token') return reply.code(404).send({ error: { code: 404, message: 'Could not recognize Fernet token', title: 'Not Found' } });
  return { token: tokenDoc };
});
identity.get('/v2/images', async (req, reply) => {
  if (req.headers['x-auth-token'] !== 'service-token') return reply.code(401).send();
  if (req.headers['x-openstack-request-id'] !== 'req-00000000-0000-0000-0000-000000000000') return reply.code(400).send();
  return { images: [] };
});
identity.get('/v2/missing', async (_req, reply) => reply.code(404).send({ itemNotFound: { code: 404, message: 'Image nope could not be found.' } }));

let base = '';
beforeAll(async () => {
  await identity.listen({ host: '127.0.0.1', port: 0 });
  const a = identity.server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  tokenDoc.catalog[0]!.endpoints[0]!.url = base;
});
afterAll(() => identity.close());

describe('Session, RestClient and IdentityTokenValidator', () => {
  it('authenticates, finds endpoints in the catalog, forwards the request id and renders faults', async () => {
    const session = new Session({ authUrl: `${base}/v3`, auth: { kind: 'password', username: 'glance', password: 'pw', userDomainName: 'Default', projectName: 'service', projectDomainName: 'Default' } });
    const images = new RestClient('image', session.endpointSource('image'));
    expect(await images.json({ method: 'GET', path: '/v2/images', requestId: 'req-00000000-0000-0000-0000-000000000000' })).toEqual({ images: [] });
    await expect(images.json({ method: 'GET', path: '/v2/missing' })).rejects.toThrow('Image nope could not be found.');
    const bad = new Session({ authUrl: `${base}/v3`, auth: { kind: 'password', username: 'x', password: 'wrong', userDomainName: 'Default', projectName: 'service', projectDomainName: 'Default' } });
    await expect(bad.token()).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('validates remotely, maps the token to credentials, and caches for a short time', async () => {
    const session = new Session({ authUrl: `${base}/v3`, auth: { kind: 'password', username: 'glance', password: 'pw', userDomainName: 'Default', projectName: 'service', projectDomainName: 'Default' } });
    let now = 0;
    const validator = new CachingTokenValidator(new IdentityTokenValidator(`${base}/v3`, () => session.token()), { ttlSeconds: 5, maxEntries: 100, now: () => now });
    validations = 0;
    const creds = await validator.validate('user-token');
    expect(creds).toMatchObject({ userId: 'u1', projectId: 'p1', roles: ['member', 'reader'], userDomainName: 'Default' });
    await validator.validate('user-token');
    expect(validations).toBe(1);
    now = 6000;
    await validator.validate('user-token');
    expect(validations).toBe(2);
    await expect(validator.validate('revoked')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
