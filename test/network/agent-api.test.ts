import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Agents through HTTP: the agent roles report themselves over the bus, admins list, disable and
// delete them; networks with DHCP subnets and routers are scheduled to agents, and admins move
// them by hand.
describe('network API: agents and agent schedulers', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const agentsOf = async (type: string) =>
    (await admin('GET', `/v2.0/agents?agent_type=${encodeURIComponent(type)}`)).body.agents as any[];

  it('lists the agents the cloud runs, alive, to admins only', async () => {
    let agents: any[] = [];
    for (let i = 0; i < 50 && agents.length < 4; i++) {
      agents = (await admin('GET', '/v2.0/agents')).body.agents;
      if (agents.length < 4) await new Promise((r) => setTimeout(r, 50));
    }
    expect(agents.map((a) => a.agent_type).sort()).toEqual([
      'DHCP agent',
      'L3 agent',
      'Metadata agent',
      'Open vSwitch agent',
    ]);
    const dhcp = agents.find((a) => a.agent_type === 'DHCP agent');
    expect(dhcp).toMatchObject({
      binary: 'neutron-dhcp-agent',
      topic: 'dhcp_agent',
      admin_state_up: true,
      alive: true,
      availability_zone: 'nova',
      description: null,
    });
    expect(dhcp.heartbeat_timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Object.keys(dhcp.configurations)).toContain('dhcp_driver');
    expect((await member('GET', '/v2.0/agents')).body.agents).toEqual([]);
    expect((await admin('GET', '/v2.0/agents?alive=false')).body.agents).toEqual([]);
    const upd = await admin('PUT', `/v2.0/agents/${dhcp.id}`, {
      agent: { description: 'd', admin_state_up: false },
    });
    expect(upd.body.agent).toMatchObject({ description: 'd', admin_state_up: false });
    expect((await admin('PUT', `/v2.0/agents/${dhcp.id}`, { agent: { host: 'x' } })).status).toBe(400);
    expect((await admin('PUT', `/v2.0/agents/${dhcp.id}`, { agent: { admin_state_up: true } })).status).toBe(
      200,
    );
    expect((await member('PUT', `/v2.0/agents/${dhcp.id}`, { agent: { description: 'm' } })).status).toBe(
      404,
    );
  });

  it('schedules a network with a DHCP subnet to the DHCP agent and moves it by hand', async () => {
    const [dhcp] = await agentsOf('DHCP agent');
    const net = (await member('POST', '/v2.0/networks', { network: { name: 'd' } })).body.network;
    expect((await admin('GET', `/v2.0/networks/${net.id}/dhcp-agents`)).body.agents).toEqual([]);
    await member('POST', '/v2.0/subnets', {
      subnet: { network_id: net.id, cidr: '10.9.0.0/24', ip_version: 4 },
    });
    const hosting = (await admin('GET', `/v2.0/networks/${net.id}/dhcp-agents`)).body.agents;
    expect(hosting.map((a: any) => a.id)).toEqual([dhcp.id]);
    const hosted = (await admin('GET', `/v2.0/agents/${dhcp.id}/dhcp-networks`)).body.networks;
    expect(hosted.map((n: any) => n.id)).toContain(net.id);
    expect((await member('GET', `/v2.0/networks/${net.id}/dhcp-agents`)).status).toBe(403);
    const again = await admin('POST', `/v2.0/agents/${dhcp.id}/dhcp-networks`, { network_id: net.id });
    expect(again.status).toBe(409);
    expect(again.body.NeutronError.type).toBe('NetworkHostedByDHCPAgent');
    expect((await admin('DELETE', `/v2.0/agents/${dhcp.id}/dhcp-networks/${net.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v2.0/agents/${dhcp.id}/dhcp-networks/${net.id}`)).status).toBe(409);
    const add = await admin('POST', `/v2.0/agents/${dhcp.id}/dhcp-networks`, { network_id: net.id });
    expect(add.status).toBe(201);
    expect(add.body).toBeNull();
    const [l3] = await agentsOf('L3 agent');
    const wrong = await admin('POST', `/v2.0/agents/${l3.id}/dhcp-networks`, { network_id: net.id });
    expect(wrong.status).toBe(400);
    expect(wrong.body.NeutronError.type).toBe('InvalidDHCPAgent');
  });

  it('schedules routers to the L3 agent', async () => {
    const [l3] = await agentsOf('L3 agent');
    const router = (await member('POST', '/v2.0/routers', { router: { name: 'r' } })).body.router;
    expect(
      (await admin('GET', `/v2.0/routers/${router.id}/l3-agents`)).body.agents.map((a: any) => a.id),
    ).toEqual([l3.id]);
    expect(
      (await admin('GET', `/v2.0/agents/${l3.id}/l3-routers`)).body.routers.map((r: any) => r.id),
    ).toContain(router.id);
    expect((await admin('DELETE', `/v2.0/agents/${l3.id}/l3-routers/${router.id}`)).status).toBe(204);
    expect((await admin('GET', `/v2.0/routers/${router.id}/l3-agents`)).body.agents).toEqual([]);
    expect((await admin('DELETE', `/v2.0/agents/${l3.id}`)).status).toBe(204);
    expect((await admin('GET', `/v2.0/agents/${l3.id}`)).status).toBe(404);
  });
});
