import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Trunks: a parent port and subports told apart by VLAN, `inherit` from a VLAN network, ports
// in one trunk at most, disabled trunks frozen, trunk ports not deletable.
describe('network API: trunks', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;
  let memberProject: string;

  beforeAll(async () => {
    ({ cloud, admin, member, memberProject } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const port = async (caller: Caller = member, net?: string) => {
    const networkId =
      net ?? (await caller('POST', '/v2.0/networks', { network: { name: 'n' } })).body.network.id;
    return (await caller('POST', '/v2.0/ports', { port: { network_id: networkId } })).body.port;
  };

  it('creates a trunk and adds, lists and removes subports', async () => {
    const parent = await port();
    const created = await member('POST', '/v2.0/trunks', { trunk: { port_id: parent.id } });
    expect(created.status).toBe(201);
    const trunk = created.body.trunk;
    expect(trunk).toMatchObject({ admin_state_up: true, status: 'DOWN', sub_ports: [], name: '' });
    expect((await member('GET', `/v2.0/trunks/${trunk.id}`)).body.trunk).toEqual(trunk);
    const s1 = { port_id: (await port()).id, segmentation_type: 'vlan', segmentation_id: 2 };
    const s2 = { port_id: (await port()).id, segmentation_type: 'vlan', segmentation_id: 4 };
    const url = `/v2.0/trunks/${trunk.id}`;
    const added = await member('PUT', `${url}/add_subports`, { sub_ports: [s1, s2] });
    expect(added.status).toBe(200);
    expect(added.body.sub_ports).toEqual([s1, s2]);
    expect(added.body.revision_number).toBeGreaterThan(trunk.revision_number);
    const dup = { port_id: (await port()).id, segmentation_type: 'vlan', segmentation_id: 2 };
    expect((await member('PUT', `${url}/add_subports`, { sub_ports: [dup] })).status).toBe(409);
    expect(
      (
        await member('PUT', `${url}/add_subports`, {
          sub_ports: [{ ...dup, segmentation_id: 9, port_id: parent.id }],
        })
      ).status,
    ).toBe(409);
    expect((await member('PUT', `${url}/add_subports`, { sub_ports: { port_id: dup.port_id } })).status).toBe(
      400,
    );
    expect(
      (
        await member('PUT', `${url}/add_subports`, {
          sub_ports: [{ port_id: dup.port_id, segmentation_type: 'vlan' }],
        })
      ).status,
    ).toBe(400);
    const removed = await member('PUT', `${url}/remove_subports`, { sub_ports: [s2] });
    expect(removed.body.sub_ports).toEqual([s1]);
    expect((await member('PUT', `${url}/remove_subports`, { sub_ports: [s2] })).status).toBe(404);
    expect((await member('GET', `${url}/get_subports`)).body).toEqual({ sub_ports: [s1] });
    const parentDelete = await member('DELETE', `/v2.0/ports/${parent.id}`);
    expect(parentDelete.status).toBe(409);
    expect((await member('DELETE', `/v2.0/ports/${s1.port_id}`)).status).toBe(409);
    await member('PUT', url, { trunk: { admin_state_up: false } });
    expect((await member('PUT', `${url}/remove_subports`, { sub_ports: [s1] })).status).toBe(409);
    expect((await member('DELETE', url)).status).toBe(409);
    await member('PUT', url, { trunk: { admin_state_up: true } });
    expect((await member('DELETE', url)).status).toBe(204);
    expect((await member('DELETE', `/v2.0/ports/${parent.id}`)).status).toBe(204);
  });

  it('inherits segmentation from VLAN networks and checks ports', async () => {
    const vlanNet = async () =>
      (
        await admin('POST', '/v2.0/networks', {
          network: {
            name: 'v',
            'provider:network_type': 'vlan',
            'provider:physical_network': 'physnet1',
            project_id: memberProject,
          },
        })
      ).body.network;
    // A VXLAN parent (MTU 1450) cannot carry a VLAN subport (MTU 1500).
    const small = await member('POST', '/v2.0/trunks', {
      trunk: {
        port_id: (await port()).id,
        sub_ports: [{ port_id: (await port(member, (await vlanNet()).id)).id, segmentation_type: 'inherit' }],
      },
    });
    expect(small.status).toBe(409);
    expect(small.body.NeutronError.type).toBe('SubPortMtuGreaterThanTrunkPortMtu');
    const parent = await port(member, (await vlanNet()).id);
    const net = await vlanNet();
    const sub = await port(member, net.id);
    const trunk = (
      await member('POST', '/v2.0/trunks', {
        trunk: { port_id: parent.id, sub_ports: [{ port_id: sub.id, segmentation_type: 'inherit' }] },
      })
    ).body.trunk;
    expect(trunk.sub_ports).toEqual([
      { port_id: sub.id, segmentation_type: 'vlan', segmentation_id: net['provider:segmentation_id'] },
    ]);
    const again = await member('POST', '/v2.0/trunks', { trunk: { port_id: parent.id } });
    expect(again.status).toBe(409);
    const missing = await member('POST', '/v2.0/trunks', {
      trunk: { port_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(missing.status).toBe(404);
    const plain = await port();
    const notVlan = await member('POST', '/v2.0/trunks', {
      trunk: {
        port_id: (await port(member, (await vlanNet()).id)).id,
        sub_ports: [{ port_id: plain.id, segmentation_type: 'inherit' }],
      },
    });
    expect(notVlan.status).toBe(400);
  });
});
