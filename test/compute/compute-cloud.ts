import { computeService } from '@nimbus/compute';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { networkService } from '@nimbus/network';
import { placementService } from '@nimbus/placement';
import type { ServiceDefinition } from '@nimbus/service';
import { adminToken, type Caller, jsonCaller, startTestCloud, type TestCloud } from '@nimbus/testing';

export type { Answer, Caller } from '@nimbus/testing';
export const caller = jsonCaller;

/** The services a compute test cloud runs. */
export const computeCloudServices = [
  identityService,
  imageService,
  placementService,
  networkService,
  computeService,
];

/** A cloud with everything a boot needs, an admin caller per service, a flavor, an active image and a network. */
export async function computeCloud(
  overrides: Record<string, Record<string, unknown>> = {},
  extraServices: ServiceDefinition[] = [],
): Promise<{
  cloud: TestCloud;
  token: string;
  projectId: string;
  compute: Caller;
  network: Caller;
  placement: Caller;
  image: Caller;
  flavorId: string;
  imageId: string;
  networkId: string;
}> {
  const cloud = await startTestCloud([...computeCloudServices, ...extraServices], {
    identity: { password_hash_rounds: 4 },
    ...overrides,
  });
  const { token, projectId } = await adminToken(cloud);
  const compute = caller(`${cloud.url('compute')}/v2.1`, token);
  const network = caller(cloud.url('network'), token);
  const placement = caller(cloud.url('placement'), token);
  const image = caller(cloud.url('image'), token);
  const flavor = await compute('POST', '/flavors', {
    flavor: { name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1, id: '1' },
  });
  if (flavor.status !== 200) throw new Error(`flavor: ${flavor.status} ${JSON.stringify(flavor.body)}`);
  const img = await image('POST', '/v2/images', {
    name: 'cirros',
    disk_format: 'raw',
    container_format: 'bare',
    visibility: 'public',
  });
  const up = await fetch(`${cloud.url('image')}/v2/images/${img.body.id}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(1024, 7),
  });
  if (up.status !== 204) throw new Error(`image upload: ${up.status}`);
  const net = await network('POST', '/v2.0/networks', { network: { name: 'private' } });
  await network('POST', '/v2.0/subnets', {
    subnet: { network_id: net.body.network.id, cidr: '10.0.0.0/24', ip_version: 4, name: 'private-v4' },
  });
  return {
    cloud,
    token,
    projectId,
    compute,
    network,
    placement,
    image,
    flavorId: '1',
    imageId: img.body.id,
    networkId: net.body.network.id,
  };
}

/** Polls a server until `done` holds (or its status is ERROR when not expected), at most ~10 s. */
export async function waitServer(
  compute: Caller,
  id: string,
  done: (s: any) => boolean,
  headers: Record<string, string> = {},
): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const r = await compute('GET', `/servers/${id}`, undefined, headers);
    if (r.status === 404) return undefined;
    if (done(r.body.server)) return r.body.server;
    await new Promise((res) => setTimeout(res, 20));
  }
  const last = await compute('GET', `/servers/${id}`, undefined, headers);
  throw new Error(`server ${id} never reached the state: ${JSON.stringify(last.body)}`);
}
