import type { TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, networkCloud } from './network-cloud';

// Address groups: addresses normalized to their network, added and removed by actions that
// refuse duplicates, unknown and malformed addresses; private to their project.
describe('network API: address groups', () => {
  let cloud: TestCloud;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ cloud, admin, member } = await networkCloud());
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates, edits and deletes a group', async () => {
    const created = await member('POST', '/v2.0/address-groups', {
      address_group: { name: 'ag', addresses: ['10.10.10.3/32', '192.168.0.10/24', '2001:db8::f00/64'] },
    });
    expect(created.status).toBe(201);
    const ag = created.body.address_group;
    expect([...ag.addresses].sort()).toEqual(['10.10.10.3/32', '192.168.0.0/24', '2001:db8::/64']);
    expect(ag.revision_number).toBe(0);
    const url = `/v2.0/address-groups/${ag.id}`;
    const added = await member('PUT', `${url}/add_addresses`, { addresses: ['10.20.30.40/32'] });
    expect(added.status).toBe(200);
    expect(added.body.address_group.addresses).toContain('10.20.30.40/32');
    expect(added.body.address_group.revision_number).toBe(1);
    expect((await member('PUT', `${url}/add_addresses`, { addresses: ['10.20.30.40/32'] })).status).toBe(400);
    expect((await member('PUT', `${url}/add_addresses`, { addresses: ['bad'] })).status).toBe(400);
    const missing = await member('PUT', `${url}/remove_addresses`, { addresses: ['10.200.200.200'] });
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError.type).toBe('AddressesNotFound');
    const removed = await member('PUT', `${url}/remove_addresses`, { addresses: ['10.10.10.3'] });
    expect(removed.body.address_group.addresses).not.toContain('10.10.10.3/32');
    expect(
      (await member('PUT', url, { address_group: { description: 'new' } })).body.address_group,
    ).toMatchObject({
      description: 'new',
      name: 'ag',
    });
    expect((await admin('GET', url)).status).toBe(200);
    expect((await member('DELETE', url)).status).toBe(204);
    expect((await member('GET', url)).status).toBe(404);
  });

  it('refuses bare addresses on create and hides other projects groups', async () => {
    const bare = await member('POST', '/v2.0/address-groups', {
      address_group: { addresses: ['10.20.30.40'] },
    });
    expect(bare.status).toBe(400);
    const theirs = (await admin('POST', '/v2.0/address-groups', { address_group: { name: 'a' } })).body
      .address_group;
    expect((await member('GET', `/v2.0/address-groups/${theirs.id}`)).status).toBe(404);
    expect(
      (await member('PUT', `/v2.0/address-groups/${theirs.id}/add_addresses`, { addresses: ['10.0.0.0/8'] }))
        .status,
    ).toBe(404);
  });
});
