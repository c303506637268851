import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// The port bindings API through HTTP, as a live migration drives it: bind on the destination
// (inactive), activate it (the source becomes inactive), remove the source's.
describe('network API: port bindings', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('binds a port on two hosts and moves the active binding', async () => {
    const net = (await admin('POST', '/v2.0/networks', { network: { name: 'pb' } })).body.network;
    await admin('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.80.0.0/24', ip_version: 4 },
    });
    const port = (await admin('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
    const base = `/v2.0/ports/${port.id}/bindings`;
    expect((await admin('GET', base)).body.bindings).toEqual([]);
    const src = await admin('POST', base, { binding: { host: 'src' } });
    expect(src.status).toBe(201);
    expect(src.body.binding).toMatchObject({
      host: 'src',
      status: 'ACTIVE',
      vnic_type: 'normal',
      vif_type: 'ovs',
    });
    expect((await admin('GET', `/v2.0/ports/${port.id}`)).body.port).toMatchObject({
      'binding:host_id': 'src',
      status: 'ACTIVE',
    });
    const dst = await admin('POST', base, { binding: { host: 'dst', profile: { migrating_to: 'dst' } } });
    expect(dst.body.binding).toMatchObject({
      host: 'dst',
      status: 'INACTIVE',
      profile: { migrating_to: 'dst' },
    });
    const again = await admin('POST', base, { binding: { host: 'dst' } });
    expect(again.status).toBe(409);
    expect(again.body.NeutronError.type).toBe('PortBindingAlreadyExists');
    const act = await admin('PUT', `${base}/dst/activate`);
    expect(act.status).toBe(200);
    expect(act.body.binding).toMatchObject({ host: 'dst', status: 'ACTIVE' });
    expect((await admin('PUT', `${base}/dst/activate`)).body.NeutronError.type).toBe(
      'PortBindingAlreadyActive',
    );
    expect((await admin('GET', base)).body.bindings.map((b: any) => [b.host, b.status])).toEqual([
      ['dst', 'ACTIVE'],
      ['src', 'INACTIVE'],
    ]);
    expect((await admin('GET', `/v2.0/ports/${port.id}`)).body.port['binding:host_id']).toBe('dst');
    expect((await admin('DELETE', `${base}/src`)).status).toBe(204);
    expect((await admin('GET', `${base}/src`)).status).toBe(404);
    expect((await admin('POST', base, { binding: { host: 'x', vnic_type: 'warp' } })).status).toBe(400);
    expect((await member('GET', base)).status).toBe(404);
  });
});
