import { allDialects, type Database, migrate, openTestDatabase } from '@nimbus/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../api/call-context';
import { networkDefinition } from '../../api/networks/network-definition';
import { fillDefaults } from '../../api/resource-body';
import { networkMigrations } from '../../db/migrations/index';
import { FakeNetworkDriver } from '../../drivers/fake/fake-network-driver';
import { NetworkManager } from '../network-manager';
import { testTypeManager } from './test-type-manager';
import { parseVlanRanges } from './type-driver';
import { firstFree } from './type-manager';

const ctx = {
  projectId: 'p1',
  isAdmin: true,
  isAdvsvc: false,
  allowed: () => true,
} as unknown as CallContext;
const net = (extra: Record<string, unknown> = {}) =>
  fillDefaults({ name: 'n', project_id: 'p1', tenant_id: 'p1', ...extra }, networkDefinition.attributes);

describe('ML2 type drivers', () => {
  it('parses VLAN ranges and rejects bad ones', () => {
    expect([...parseVlanRanges(['physnet1:10:20', 'public', 'physnet1:30:30'])]).toEqual([
      [
        'physnet1',
        [
          [10, 20],
          [30, 30],
        ],
      ],
      ['public', []],
    ]);
    expect(() => parseVlanRanges(['physnet1:0:10'])).toThrow(/invalid VLAN range/);
    expect(() => parseVlanRanges(['physnet1:20:10'])).toThrow(/invalid VLAN range/);
  });

  it('finds the first free ids around used ones', () => {
    expect(firstFree(1, 10, [1, 2, 4], 3)).toEqual([3, 5, 6]);
    expect(firstFree(1, 3, [1, 2, 3], 3)).toEqual([]);
    expect(firstFree(5, 6, [], 16)).toEqual([5, 6]);
  });

  it('validates provider segments as upstream words it', () => {
    const types = testTypeManager({ flatNetworks: ['public'] });
    const v = (networkType: string, physicalNetwork: string | null, segmentationId: number | null) => () =>
      types.validate([{ networkType, physicalNetwork, segmentationId }]);
    expect(v('flat', 'other', null)).toThrow("physical_network 'other' unknown for flat provider network");
    expect(v('flat', 'public', 5)).toThrow('provider:segmentation_id specified for flat network');
    expect(v('vlan', 'physnet1', 4095)).toThrow('provider:segmentation_id out of range (1 through 4094)');
    expect(v('vlan', 'nowhere', 5)).toThrow("physical_network 'nowhere' unknown for VLAN provider network");
    expect(v('vxlan', 'physnet1', 5)).toThrow('provider:physical_network specified for VXLAN network');
    expect(v('vxlan', null, 2 ** 24)).toThrow('out of range (1 through 16777215)');
    expect(v('local', null, 3)).toThrow('provider:segmentation_id specified for local network');
    expect(v('ipip', null, null)).toThrow("network_type value 'ipip' not supported");
    expect(v('vlan', 'physnet1', 4094)).not.toThrow();
  });

  it('gives tunnel networks the path MTU less the encapsulation', () => {
    const types = testTypeManager();
    const mtu = (networkType: string) =>
      types.mtu([{ networkType, physicalNetwork: null, segmentationId: 1 }]);
    expect([mtu('vxlan'), mtu('gre'), mtu('geneve'), mtu('vlan'), mtu('local')]).toEqual([
      1450, 1458, 1442, 1500, 1500,
    ]);
  });
});

// Segment allocation on each database: concurrent creates never share a segment id, and a range
// that runs out answers NoNetworkAvailable; explicit ids that are taken are refused as in use.
for (const dialect of allDialects) {
  describe(`segment allocation on ${dialect}`, () => {
    let db: Database;
    let networks: NetworkManager;

    beforeAll(async () => {
      db = await openTestDatabase(dialect, 'network');
      await migrate(db, networkMigrations);
      const types = testTypeManager({
        tenantNetworkTypes: ['vlan'],
        networkVlanRanges: ['physnet1:100:115', 'physnet2'],
        vxlanVniRanges: ['1:65535'],
      });
      networks = new NetworkManager(db, new FakeNetworkDriver(), types, 40);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('hands 16 concurrent networks the 16 VLANs of the range, then has none left', async () => {
      const made = await Promise.all(Array.from({ length: 16 }, () => networks.create(ctx, net())));
      const ids = made.map((n) => n['provider:segmentation_id']);
      expect(new Set(ids).size).toBe(16);
      expect(ids.every((id) => (id as number) >= 100 && (id as number) <= 115)).toBe(true);
      expect(made.every((n) => n['provider:physical_network'] === 'physnet1')).toBe(true);
      await expect(networks.create(ctx, net())).rejects.toMatchObject({
        category: 'unavailable',
        type: 'NoNetworkAvailable',
      });
      await networks.delete(ctx, made[3]!);
      const again = await networks.create(ctx, net());
      expect(again['provider:segmentation_id']).toBe(made[3]!['provider:segmentation_id']);
    });

    it('gives 32 concurrent VXLAN networks distinct VNIs from a large range (probed)', async () => {
      const vxlan = { 'provider:network_type': 'vxlan' };
      const made = await Promise.all(Array.from({ length: 32 }, () => networks.create(ctx, net(vxlan))));
      const vnis = made.map((n) => n['provider:segmentation_id'] as number);
      expect(new Set(vnis).size).toBe(32);
      expect(vnis.every((v) => v >= 1 && v <= 65535)).toBe(true);
    });

    it('refuses a taken VLAN or flat physical network, and frees them on delete', async () => {
      const vlan = {
        'provider:network_type': 'vlan',
        'provider:physical_network': 'physnet2',
        'provider:segmentation_id': 7,
      };
      const a = await networks.create(ctx, net(vlan));
      expect(a).toMatchObject({ ...vlan, mtu: 1500 });
      await expect(networks.create(ctx, net(vlan))).rejects.toMatchObject({
        message: 'Unable to create the network. The VLAN 7 on physical network physnet2 is in use.',
      });
      const flat = { 'provider:network_type': 'flat', 'provider:physical_network': 'public' };
      const f = await networks.create(ctx, net(flat));
      await expect(networks.create(ctx, net(flat))).rejects.toMatchObject({
        type: 'FlatNetworkInUse',
      });
      await networks.delete(ctx, a);
      await networks.delete(ctx, f);
      expect((await networks.create(ctx, net(vlan)))['provider:segmentation_id']).toBe(7);
    });

    it('makes a network of several segments and shows them as segments', async () => {
      const segments = [
        { 'provider:network_type': 'vxlan' },
        {
          'provider:network_type': 'vlan',
          'provider:physical_network': 'physnet2',
          'provider:segmentation_id': 9,
        },
      ];
      const n = await networks.create(
        ctx,
        net({ segments: networkDefinition.attributes.segments!.convert!(segments) }),
      );
      expect(n['provider:network_type']).toBeUndefined();
      expect(n.segments).toEqual([
        {
          'provider:network_type': 'vxlan',
          'provider:physical_network': null,
          'provider:segmentation_id': expect.any(Number),
        },
        {
          'provider:network_type': 'vlan',
          'provider:physical_network': 'physnet2',
          'provider:segmentation_id': 9,
        },
      ]);
      expect(n.mtu).toBe(1450);
      await expect(
        networks.create(ctx, net({ segments: [segments[1]], 'provider:network_type': 'vlan' })),
      ).rejects.toMatchObject({ type: 'InvalidInput' });
    });
  });
}
