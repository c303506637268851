import { adminToken, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Networks through HTTP: bodies, defaults, errors, standard attributes, tags, fields, filters,
// sorting and paging, bulk create and the version documents.
describe('network API: networks', () => {
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

  it('answers the version documents and the extension list', async () => {
    const root = await admin('GET', '/');
    expect(root.status).toBe(200);
    expect(root.body.versions[0]).toMatchObject({ id: 'v2.0', status: 'CURRENT' });
    const v2 = await admin('GET', '/v2.0/');
    expect(v2.body.resources.map((r: any) => r.collection).sort()).toEqual(['networks', 'ports', 'subnets']);
    const ext = await admin('GET', '/v2.0/extensions');
    const aliases = ext.body.extensions.map((e: any) => e.alias);
    expect(aliases).toContain('security-group');
    expect(aliases).toContain('router');
    expect(aliases).not.toContain('floating-ip-port-forwarding');
    expect(aliases).toContain('subnet_allocation');
    expect((await admin('GET', '/v2.0/extensions/binding')).body.extension.alias).toBe('binding');
    expect((await admin('GET', '/v2.0/extensions/nope')).status).toBe(404);
  });

  it('creates a network with upstream defaults and shows it', async () => {
    const r = await member('POST', '/v2.0/networks', { network: { name: 'net1' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const n = r.body.network;
    expect(n).toMatchObject({
      name: 'net1',
      admin_state_up: true,
      status: 'ACTIVE',
      shared: false,
      'router:external': false,
      mtu: 1450,
      port_security_enabled: true,
      subnets: [],
      tags: [],
      description: '',
      revision_number: 0,
      project_id: memberProject,
      tenant_id: memberProject,
      availability_zone_hints: [],
    });
    expect(n.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Provider attributes are the admin's: a member does not see them.
    expect(n['provider:network_type']).toBeUndefined();
    const shown = await admin('GET', `/v2.0/networks/${n.id}`);
    expect(shown.body.network['provider:network_type']).toBe('vxlan');
    expect(shown.body.network['provider:segmentation_id']).toBeGreaterThan(0);
  });

  it('reads a body sent without Content-Type as JSON, as Neutron does', async () => {
    const made = await admin('POST', '/v2.0/networks', { network: { name: 'untyped' } });
    const { token } = await adminToken(cloud);
    // A Uint8Array body: fetch adds no Content-Type of its own.
    const r = await fetch(`${cloud.url('network')}/v2.0/networks/${made.body.network.id}`, {
      method: 'PUT',
      headers: { 'x-auth-token': token },
      body: new TextEncoder().encode(JSON.stringify({ network: { name: 'renamed' } })),
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).network.name).toBe('renamed');
  });

  it('refuses bad bodies in Neutron words', async () => {
    const unknown = await member('POST', '/v2.0/networks', { network: { name: 'x', colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.NeutronError).toEqual({
      type: 'HTTPBadRequest',
      message: "Unrecognized attribute(s) 'colour'",
      detail: '',
    });
    const noBody = await member('POST', '/v2.0/networks', { nets: {} });
    expect(noBody.body.NeutronError.message).toBe("Unable to find 'network' in request body");
    const badBool = await member('POST', '/v2.0/networks', { network: { admin_state_up: 'perhaps' } });
    expect(badBool.status).toBe(400);
    expect(badBool.body.NeutronError.message).toContain("'perhaps' cannot be converted to boolean");
    const shared = await member('POST', '/v2.0/networks', { network: { shared: true } });
    expect(shared.status).toBe(403);
    expect(shared.body.NeutronError.type).toBe('PolicyNotAuthorized');
    const missing = await member('GET', '/v2.0/networks/5e0d3e58-2f7b-4c61-9f1e-2a0c6c1f0a11');
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError).toMatchObject({
      type: 'NetworkNotFound',
      message: 'Network 5e0d3e58-2f7b-4c61-9f1e-2a0c6c1f0a11 could not be found.',
    });
    const unauth = await fetch(`${cloud.url('network')}/v2.0/networks`);
    expect(unauth.status).toBe(401);
  });

  it('hides other projects networks and shows shared ones', async () => {
    const own = (await admin('POST', '/v2.0/networks', { network: { name: 'admin-private' } })).body.network;
    const shared = (
      await admin('POST', '/v2.0/networks', { network: { name: 'admin-shared', shared: true } })
    ).body.network;
    expect((await member('GET', `/v2.0/networks/${own.id}`)).status).toBe(404);
    expect((await member('GET', `/v2.0/networks/${shared.id}`)).status).toBe(200);
    const names = (await member('GET', '/v2.0/networks')).body.networks.map((n: any) => n.name);
    expect(names).toContain('admin-shared');
    expect(names).not.toContain('admin-private');
    // Updating someone else's visible network is forbidden, not hidden.
    const upd = await member('PUT', `/v2.0/networks/${shared.id}`, { network: { name: 'mine' } });
    expect(upd.status).toBe(403);
  });

  it('updates with revision numbers and If-Match', async () => {
    const n = (await member('POST', '/v2.0/networks', { network: { name: 'rev' } })).body.network;
    const u = await member('PUT', `/v2.0/networks/${n.id}`, { network: { name: 'rev2', description: 'd' } });
    expect(u.status).toBe(200);
    expect(u.body.network).toMatchObject({ name: 'rev2', description: 'd', revision_number: 1 });
    const stale = await member(
      'PUT',
      `/v2.0/networks/${n.id}`,
      { network: { name: 'rev3' } },
      { 'if-match': 'revision_number=0' },
    );
    expect(stale.status).toBe(412);
    const fresh = await member(
      'PUT',
      `/v2.0/networks/${n.id}`,
      { network: { name: 'rev3' } },
      { 'if-match': 'revision_number=1' },
    );
    expect(fresh.status).toBe(200);
    const ro = await member('PUT', `/v2.0/networks/${n.id}`, { network: { status: 'DOWN' } });
    expect(ro.body.NeutronError.message).toBe('Cannot update read-only attribute status');
  });

  it('tags networks through the tags API and filters by tags', async () => {
    const n = (await member('POST', '/v2.0/networks', { network: { name: 'tagged' } })).body.network;
    expect((await member('PUT', `/v2.0/networks/${n.id}/tags`, { tags: ['red', 'blue'] })).body).toEqual({
      tags: ['red', 'blue'],
    });
    expect((await member('PUT', `/v2.0/networks/${n.id}/tags/green`)).status).toBe(201);
    expect((await member('GET', `/v2.0/networks/${n.id}/tags/green`)).status).toBe(204);
    expect((await member('GET', `/v2.0/networks/${n.id}/tags/pink`)).status).toBe(404);
    expect((await member('GET', `/v2.0/networks/${n.id}/tags`)).body.tags.sort()).toEqual([
      'blue',
      'green',
      'red',
    ]);
    expect(
      (await member('GET', '/v2.0/networks?tags=red,green')).body.networks.map((x: any) => x.id),
    ).toEqual([n.id]);
    expect((await member('GET', '/v2.0/networks?tags-any=pink')).body.networks).toEqual([]);
    expect((await member('DELETE', `/v2.0/networks/${n.id}/tags/red`)).status).toBe(204);
    const shown = (await member('GET', `/v2.0/networks/${n.id}`)).body.network;
    expect(shown.tags).toEqual(['blue', 'green']);
    expect(shown.revision_number).toBe(3);
  });

  it('selects fields, validates filters, sorts and pages with links', async () => {
    const bulk = await member('POST', '/v2.0/networks', {
      networks: [{ name: 'page-a' }, { name: 'page-b' }, { name: 'page-c' }],
    });
    expect(bulk.status).toBe(201);
    expect(bulk.body.networks).toHaveLength(3);
    const f = await member('GET', '/v2.0/networks?name=page-a&fields=id&fields=name');
    expect(Object.keys(f.body.networks[0]).sort()).toEqual(['id', 'name']);
    const bad = await member('GET', '/v2.0/networks?colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.NeutronError.message).toBe("['colour'] is invalid attribute for filtering");
    const sorted = await member(
      'GET',
      '/v2.0/networks?name=page-a&name=page-b&name=page-c&sort_key=name&sort_dir=desc',
    );
    expect(sorted.body.networks.map((n: any) => n.name)).toEqual(['page-c', 'page-b', 'page-a']);
    const p1 = await member(
      'GET',
      '/v2.0/networks?name=page-a&name=page-b&name=page-c&sort_key=name&sort_dir=asc&limit=2',
    );
    expect(p1.body.networks.map((n: any) => n.name)).toEqual(['page-a', 'page-b']);
    const next = p1.body.networks_links.find((l: any) => l.rel === 'next').href;
    const p2 = await member('GET', next.slice(cloud.url('network').length));
    expect(p2.body.networks.map((n: any) => n.name)).toEqual(['page-c']);
    const prev = p2.body.networks_links.find((l: any) => l.rel === 'previous').href;
    expect(prev).toContain('page_reverse=True');
    const back = await member('GET', prev.slice(cloud.url('network').length));
    expect(back.body.networks.map((n: any) => n.name)).toEqual(['page-a', 'page-b']);
    expect((await member('GET', '/v2.0/networks?limit=x')).status).toBe(400);
    expect((await member('GET', '/v2.0/networks?sort_key=nope&sort_dir=asc')).status).toBe(400);
  });

  it('writes header names as Neutron does', async () => {
    const r = await admin('GET', '/v2.0/networks');
    expect(r.headers.get('x-openstack-request-id')).toMatch(/^req-/);
  });

  it('deletes a network with its subnets', async () => {
    const n = (await member('POST', '/v2.0/networks', { network: { name: 'gone' } })).body.network;
    await member('POST', '/v2.0/subnets', {
      subnet: { network_id: n.id, cidr: '10.9.0.0/24', ip_version: 4 },
    });
    expect((await member('DELETE', `/v2.0/networks/${n.id}`)).status).toBe(204);
    expect((await member('GET', `/v2.0/networks/${n.id}`)).status).toBe(404);
  });
});
