import { createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '@nimbus/errors';
import { type ApiRequest, respond, type Route, route } from '@nimbus/http';
import type { Instance, InstanceRepository } from '../db/instance-repository';
import type { KeypairRepository } from '../db/keypair-repository';

/** What the metadata API reads. */
export interface MetadataServices {
  instances: InstanceRepository;
  keypairs: KeypairRepository;
  sharedSecret: string;
}

type MetadataRequest = ApiRequest<unknown, MetadataServices>;

const header = (req: MetadataRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The server asking: behind Neutron's metadata proxy by `X-Instance-ID` with its HMAC-SHA256
 * signature (`X-Instance-ID-Signature`, keyed by the shared secret), or by its fixed IP
 * (`X-Forwarded-For`) when no secret is configured.
 */
async function requester(req: MetadataRequest): Promise<Instance> {
  const { instances, sharedSecret } = req.services;
  const instanceId = header(req, 'x-instance-id');
  if (instanceId) {
    const signature = header(req, 'x-instance-id-signature') ?? '';
    const expected = createHmac('sha256', sharedSecret).update(instanceId).digest('hex');
    if (
      !sharedSecret ||
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      throw new ForbiddenError('Invalid proxy request signature.');
    }
    const i = await instances.get(instanceId);
    if (!i) throw new NotFoundError('Instance not found');
    const project = header(req, 'x-tenant-id');
    if (project && project !== i.projectId) throw new ForbiddenError('Tenant ID does not match.');
    return i;
  }
  const ip = (header(req, 'x-forwarded-for') ?? '').split(',')[0]!.trim();
  if (!ip || sharedSecret) throw new NotFoundError('The resource could not be found.');
  const [i] = await instances.list(
    { deleted: false, ip: new RegExp(`^${ip.replace(/[.]/g, '\\.')}$`) },
    { limit: 1 },
  );
  if (!i) throw new NotFoundError('The resource could not be found.');
  return i;
}

async function metaData(req: MetadataRequest) {
  const i = await requester(req);
  const key = i.keyName ? await req.services.keypairs.get(i.userId, i.keyName) : undefined;
  return {
    uuid: i.uuid,
    meta: i.metadata,
    ...(i.keyName && i.keyData
      ? {
          public_keys: { [i.keyName]: i.keyData },
          keys: [{ name: i.keyName, type: key?.type ?? 'ssh', data: i.keyData }],
        }
      : {}),
    hostname: i.hostname,
    name: i.name,
    launch_index: i.launchIndex,
    availability_zone: i.availabilityZone,
    random_seed: Buffer.from(crypto.getRandomValues(new Uint8Array(512))).toString('base64'),
    project_id: i.projectId,
    devices: [],
    dedicated_cpus: [],
  };
}

async function userData(req: MetadataRequest) {
  const i = await requester(req);
  if (!i.userData) throw new NotFoundError('The resource could not be found.');
  return respond(200, Buffer.from(i.userData, 'base64'), { 'content-type': 'text/plain' });
}

async function networkData(req: MetadataRequest) {
  const i = await requester(req);
  return {
    links: i.networkInfo.map((v, n) => ({
      id: `tap${v.port_id.slice(0, 11)}`,
      vif_id: v.port_id,
      type: 'ovs',
      mtu: 1500,
      ethernet_mac_address: v.mac_address,
      name: `eth${n}`,
    })),
    networks: i.networkInfo.flatMap((v) =>
      v.fixed_ips.map((ip, n) => ({
        id: `network${n}`,
        type: ip.version === 6 ? 'ipv6_dhcp' : 'ipv4_dhcp',
        link: `tap${v.port_id.slice(0, 11)}`,
        network_id: v.network_id,
      })),
    ),
    services: [],
  };
}

async function ec2MetaData(req: MetadataRequest) {
  const i = await requester(req);
  const ip = i.networkInfo.flatMap((v) => v.fixed_ips).find((a) => a.version === 4)?.ip_address ?? '';
  const tree: Record<string, string> = {
    'ami-id': i.imageRef,
    hostname: i.hostname,
    'instance-id': i.uuid,
    'instance-type': i.flavor.name,
    'local-hostname': i.hostname,
    'local-ipv4': ip,
    'placement/availability-zone': i.availabilityZone ?? '',
    'reservation-id': i.reservationId,
    ...(i.keyName && i.keyData ? { 'public-keys/0/openssh-key': i.keyData } : {}),
  };
  const path = (req.params as Record<string, string>)['*'] ?? '';
  const clean = path.replace(/\/$/, '');
  const text = (body: string) => respond(200, body, { 'content-type': 'text/plain' });
  if (clean in tree) return text(tree[clean]!);
  const prefix = clean ? `${clean}/` : '';
  const children = [
    ...new Set(
      Object.keys(tree)
        .filter((k) => k.startsWith(prefix))
        .map((k) => {
          const rest = k.slice(prefix.length);
          const slash = rest.indexOf('/');
          return slash < 0 ? rest : `${rest.slice(0, slash)}/`;
        }),
    ),
  ];
  if (!children.length) throw new NotFoundError('The resource could not be found.');
  return text(children.sort().join('\n'));
}

const versions = [
  '2012-08-10',
  '2013-04-04',
  '2013-10-17',
  '2015-10-15',
  '2016-06-30',
  '2016-10-06',
  '2017-02-22',
  '2018-08-27',
  '2020-10-14',
  'latest',
];

/** The metadata API (port 8775): the OpenStack and EC2 trees a guest reads. */
export const metadataRoutes: Route[] = [
  route(
    'GET',
    '/',
    () =>
      respond(
        200,
        '1.0\n2007-01-19\n2007-03-01\n2007-08-29\n2007-10-10\n2007-12-15\n2008-02-01\n2008-09-01\n2009-04-04\nlatest',
        { 'content-type': 'text/plain' },
      ),
    { public: true },
  ),
  route('GET', '/openstack', () => respond(200, versions.join('\n'), { 'content-type': 'text/plain' }), {
    public: true,
  }),
  route(
    'GET',
    '/openstack/:version',
    () =>
      respond(
        200,
        'meta_data.json\npassword\nvendor_data.json\nnetwork_data.json\nvendor_data2.json\nuser_data',
        { 'content-type': 'text/plain' },
      ),
    { public: true },
  ),
  route('GET', '/openstack/:version/meta_data.json', metaData, { public: true }),
  route('GET', '/openstack/:version/user_data', userData, { public: true }),
  route('GET', '/openstack/:version/network_data.json', networkData, { public: true }),
  route(
    'GET',
    '/openstack/:version/vendor_data.json',
    async (req: MetadataRequest) => (await requester(req), {}),
    { public: true },
  ),
  route(
    'GET',
    '/openstack/:version/vendor_data2.json',
    async (req: MetadataRequest) => (await requester(req), {}),
    { public: true },
  ),
  route(
    'GET',
    '/openstack/:version/password',
    async (req: MetadataRequest) => (
      await requester(req), respond(200, '', { 'content-type': 'text/plain' })
    ),
    { public: true },
  ),
  route('GET', '/:version/meta-data', ec2MetaData, { public: true }),
  route('GET', '/:version/meta-data/*', ec2MetaData, { public: true }),
  route('GET', '/:version/user-data', userData, { public: true }),
];
