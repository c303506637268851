import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// ML2 through HTTP: provider networks with their errors, multi-segment networks and the
// segments API (admin only).
describe('network API: provider networks and segments', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('makes provider networks and refuses bad or taken segments', async () => {
    const vlan = {
      'provider:network_type': 'vlan',
      'provider:physical_network': 'physnet1',
      'provider:segmentation_id': 1234,
    };
    const r = await admin('POST', '/v2.0/networks', { network: { name: 'v', ...vlan } });
    expect(r.status).toBe(201);
    expect(r.body.network).toMatchObject({ ...vlan, mtu: 1500 });
    const taken = await admin('POST', '/v2.0/networks', { network: { name: 'v2', ...vlan } });
    expect(taken.status).toBe(409);
    expect(taken.body.NeutronError.type).toBe('VlanIdInUse');
    const out = await admin('POST', '/v2.0/networks', {
      network: { ...vlan, 'provider:segmentation_id': 5000 },
    });
    expect(out.status).toBe(400);
    expect(out.body.NeutronError.message).toBe(
      'Invalid input for operation: provider:segmentation_id out of range (1 through 4094).',
    );
    const badType = await admin('POST', '/v2.0/networks', { network: { 'provider:network_type': 'ipip' } });
    expect(badType.status).toBe(400);
    expect(
      (await member('POST', '/v2.0/networks', { network: { ...vlan, 'provider:segmentation_id': 9 } }))
        .status,
    ).toBe(403);
    const tooBig = await admin('POST', '/v2.0/networks', { network: { mtu: 1500 } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.NeutronError.message).toBe(
      'Invalid input for operation: Requested MTU is too big, maximum is 1450.',
    );
    const upd = await admin('PUT', `/v2.0/networks/${r.body.network.id}`, {
      network: { 'provider:segmentation_id': 1235 },
    });
    expect(upd.status).toBe(400);
    expect((await admin('DELETE', `/v2.0/networks/${r.body.network.id}`)).status).toBe(204);
    expect((await admin('POST', '/v2.0/networks', { network: { name: 'v3', ...vlan } })).status).toBe(201);
  });

  it('serves segments: list, add, show, update, delete', async () => {
    const n = (await admin('POST', '/v2.0/networks', { network: { name: 'multi' } })).body.network;
    const listed = await admin('GET', `/v2.0/segments?network_id=${n.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.segments).toEqual([
      expect.objectContaining({
        network_id: n.id,
        network_type: 'vxlan',
        physical_network: null,
        segmentation_id: n['provider:segmentation_id'],
        name: null,
        description: '',
        revision_number: 0,
      }),
    ]);
    expect(listed.body.segments[0].project_id).toBeUndefined();
    const add = await admin('POST', '/v2.0/segments', {
      segment: { network_id: n.id, network_type: 'vlan', physical_network: 'physnet1', name: 'edge' },
    });
    expect(add.status).toBe(201);
    expect(add.body.segment.segmentation_id).toBeGreaterThanOrEqual(1000);
    const shown = (await admin('GET', `/v2.0/networks/${n.id}`)).body.network;
    expect(shown.segments).toHaveLength(2);
    expect(shown['provider:network_type']).toBeUndefined();
    const renamed = await admin('PUT', `/v2.0/segments/${add.body.segment.id}`, { segment: { name: 'e2' } });
    expect(renamed.body.segment).toMatchObject({ name: 'e2', revision_number: 1 });
    expect(
      (await admin('PUT', `/v2.0/segments/${add.body.segment.id}`, { segment: { segmentation_id: 3 } }))
        .status,
    ).toBe(400);
    expect((await member('GET', '/v2.0/segments')).body.segments).toEqual([]);
    expect(
      (await member('POST', '/v2.0/segments', { segment: { network_id: n.id, network_type: 'vxlan' } }))
        .status,
    ).toBe(403);
    const missing = await admin('POST', '/v2.0/segments', {
      segment: { network_id: '00000000-0000-0000-0000-000000000000', network_type: 'vxlan' },
    });
    expect(missing.status).toBe(404);
    expect((await admin('DELETE', `/v2.0/segments/${add.body.segment.id}`)).status).toBe(204);
    expect((await admin('GET', `/v2.0/segments/${add.body.segment.id}`)).status).toBe(404);
    expect((await admin('GET', `/v2.0/networks/${n.id}`)).body.network['provider:network_type']).toBe(
      'vxlan',
    );
  });
});
