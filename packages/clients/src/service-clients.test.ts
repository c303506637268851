import fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointNotFound } from './http-error';
import { ServiceClients } from './service-clients';

// A stand-in identity (tokens, catalog, s3tokens) and a recording "image" API with one endpoint
// per interface and region, each answering with its own name and the tokens it received.
const identity = fastify();
const peer = fastify();
let idBase = '';
let peerBase = '';
const issued: { scope: string }[] = [];
const catalog = () => [
  {
    id: 'svc-image',
    type: 'image',
    name: 'glance',
    endpoints: [
      {
        id: 'e1',
        interface: 'public',
        region: 'RegionOne',
        region_id: 'RegionOne',
        url: `${peerBase}/public-one`,
      },
      {
        id: 'e2',
        interface: 'internal',
        region: 'RegionOne',
        region_id: 'RegionOne',
        url: `${peerBase}/internal-one`,
      },
      {
        id: 'e3',
        interface: 'public',
        region: 'RegionTwo',
        region_id: 'RegionTwo',
        url: `${peerBase}/public-two`,
      },
    ],
  },
];
identity.post('/v3/auth/tokens', async (req, reply) => {
  const scope = (req.body as { auth: { scope: Record<string, unknown> } }).auth.scope;
  issued.push({ scope: Object.keys(scope)[0]! });
  const token = scope.system ? 'system-token' : 'service-token';
  return reply
    .code(201)
    .header('x-subject-token', token)
    .send({ token: { expires_at: '2099-01-01T00:00:00Z', catalog: catalog() } });
});
identity.post('/v3/s3tokens', async (req, reply) => {
  if (req.headers['x-auth-token']) return reply.code(400).send({ error: { message: 'anonymous only' } });
  const { credentials } = req.body as { credentials: { access: string } };
  if (credentials.access !== 'AK')
    return reply
      .code(401)
      .send({ error: { code: 401, message: 'The request you have made requires authentication.' } });
  return reply
    .code(200)
    .header('x-subject-token', 'ec2-token')
    .send({ token: { methods: ['ec2credential'] } });
});
identity.get('/v3/registered_limits', async (req) => ({
  registered_limits:
    req.headers['x-auth-token'] === 'system-token'
      ? [{ resource_name: 'image_count_total', default_limit: 7 }]
      : [],
}));
identity.get('/v3/limits', async () => ({ limits: [] }));
peer.get('/:where/v2/images/:id', async (req) => ({
  id: (req.params as { id: string }).id,
  status: 'active',
  where: (req.params as { where: string }).where,
  auth: req.headers['x-auth-token'],
  service: req.headers['x-service-token'] ?? null,
  requestId: req.headers['x-openstack-request-id'] ?? null,
}));
peer.get('/:where/v1/things', async (req) => ({ where: (req.params as { where: string }).where }));

const user = () => ({
  authUrl: `${idBase}/v3`,
  username: 'glance',
  password: 'pw',
  projectName: 'service',
  userDomainName: 'Default',
  projectDomainName: 'Default',
});

beforeAll(async () => {
  for (const app of [identity, peer]) await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app: typeof identity) => (app.server.address() as { port: number }).port;
  idBase = `http://127.0.0.1:${port(identity)}`;
  peerBase = `http://127.0.0.1:${port(peer)}`;
});
afterAll(async () => {
  await identity.close();
  await peer.close();
});

describe('ServiceClients', () => {
  it('finds endpoints by type, interface (in order of preference) and region', async () => {
    const clients = new ServiceClients({ user, interface: ['internal', 'public'] });
    expect((await clients.image.getImage('i1')).where).toBe('internal-one');
    expect((await clients.at({ interface: 'public' }).image.getImage('i1')).where).toBe('public-one');
    // RegionTwo has no internal endpoint: public is next in the list.
    expect((await clients.at({ region: 'RegionTwo' }).image.getImage('i1')).where).toBe('public-two');
    const strict = new ServiceClients({ user, interface: 'admin' });
    await expect(strict.image.getImage('i1')).rejects.toBeInstanceOf(EndpointNotFound);
    await expect(clients.at({ region: 'Atlantis' }).image.getImage('i1')).rejects.toMatchObject({
      code: 'CLIENT_ENDPOINT_NOT_FOUND',
      category: 'unavailable',
    });
    await expect(clients.forType('compute').json({ method: 'GET', path: '/' })).rejects.toBeInstanceOf(
      EndpointNotFound,
    );
  });

  it('calls as the service user, and acting for a user sends both tokens', async () => {
    const clients = new ServiceClients({ user, interface: 'public' });
    const own = await clients.image.getImage('i1');
    expect(own).toMatchObject({ auth: 'service-token', service: null, requestId: null });
    const acting = await clients.actingFor('user-token').image.getImage('i1');
    expect(acting).toMatchObject({ auth: 'user-token', service: 'service-token' });
    const forRequest = await clients
      .forRequest({ credentials: { token: 'user-token' }, requestId: 'req-1', globalRequestId: 'req-0' })
      .image.getImage('i1');
    expect(forRequest).toMatchObject({ auth: 'user-token', service: 'service-token', requestId: 'req-0' });
    // The service token comes from one session: acting views share it.
    const before = issued.length;
    await clients.actingFor('other-user').image.getImage('i2');
    expect(issued.length).toBe(before);
  });

  it('reaches identity at its auth URL: s3tokens anonymously, limits system-scoped', async () => {
    const clients = new ServiceClients({ user });
    expect(
      (await clients.identity.s3Token({ access: 'AK', token: 'dG8gc2lnbg==', signature: 's' })).token,
    ).toBe('ec2-token');
    await expect(
      clients.identity.s3Token({ access: 'nope', token: '', signature: '' }),
    ).rejects.toMatchObject({
      httpStatus: 401,
    });
    expect(await clients.identity.limitsFor('p1', 'svc-image', ['image_count_total'])).toEqual({
      image_count_total: 7,
    });
    expect(issued.some((i) => i.scope === 'system')).toBe(true);
    expect(await clients.serviceId('image')).toBe('svc-image');
  });

  it('resolves the service user on first use, and again while it is not known', async () => {
    let known = false;
    const clients = new ServiceClients({
      user: () => {
        if (!known) throw new Error('identity is not up yet');
        return user();
      },
      interface: 'public',
    });
    await expect(clients.image.getImage('i1')).rejects.toMatchObject({ category: 'unavailable' });
    known = true;
    expect((await clients.image.getImage('i1')).auth).toBe('service-token');
  });
});
