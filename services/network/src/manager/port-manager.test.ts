import { allDialects, type Database, migrate, openTestDatabase } from '@nimbus/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../api/call-context';
import { networkDefinition } from '../api/networks/network-definition';
import { portDefinition } from '../api/ports/port-definition';
import { fillDefaults } from '../api/resource-body';
import { subnetDefinition } from '../api/subnets/subnet-definition';
import { networkMigrations } from '../db/migrations/index';
import { FakeNetworkDriver } from '../drivers/fake/fake-network-driver';
import { testTypeManager } from './ml2/test-type-manager';
import { NetworkManager } from './network-manager';
import type { ServerEvent } from './port-events';
import { PortManager } from './port-manager';
import { SecurityGroupManager } from './security-group-manager';
import { SubnetManager } from './subnet-manager';
import { SubnetPoolManager } from './subnet-pool-manager';

const ctx = {
  projectId: 'p1',
  isAdmin: true,
  isAdvsvc: false,
  allowed: () => true,
} as unknown as CallContext;

// The schema and IPAM on each database: concurrent port creates on one small subnet never share
// an address (the primary key and the retry), and exhaustion is a clean 409.
for (const dialect of allDialects) {
  describe(`port IPAM on ${dialect}`, () => {
    let db: Database;
    let networks: NetworkManager;
    let subnets: SubnetManager;
    let ports: PortManager;
    const sent: ServerEvent[] = [];

    beforeAll(async () => {
      db = await openTestDatabase(dialect, 'network');
      await migrate(db, networkMigrations);
      const driver = new FakeNetworkDriver();
      networks = new NetworkManager(db, driver, testTypeManager(), 20);
      subnets = new SubnetManager(
        db,
        networks,
        { maxDnsNameservers: 5, maxHostRoutes: 20 },
        new SubnetPoolManager(db),
      );
      ports = new PortManager(db, networks, new SecurityGroupManager(db), driver, {
        baseMac: 'fa:16:3e:00:00:00',
        ipamRetries: 20,
        maxFixedIps: 5,
        events: { send: async (list) => void sent.push(...list) },
      });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('hands 16 concurrent ports 16 different addresses, then refuses the 17th of a /27', async () => {
      const net = await networks.create(
        ctx,
        fillDefaults({ name: 'n', project_id: 'p1', tenant_id: 'p1' }, networkDefinition.attributes),
      );
      await subnets.create(
        ctx,
        fillDefaults(
          { network_id: net.id, cidr: '10.0.0.0/27', ip_version: 4, project_id: 'p1', tenant_id: 'p1' },
          subnetDefinition.attributes,
        ),
      );
      // /27: 29 addresses in the pool; take 13 first, then race 16 for the last 16.
      for (let i = 0; i < 13; i++)
        await ports.create(
          ctx,
          fillDefaults({ network_id: net.id, project_id: 'p1', tenant_id: 'p1' }, portDefinition.attributes),
        );
      const raced = await Promise.all(
        Array.from({ length: 16 }, () =>
          ports.create(
            ctx,
            fillDefaults(
              { network_id: net.id, project_id: 'p1', tenant_id: 'p1' },
              portDefinition.attributes,
            ),
          ),
        ),
      );
      const rows = await db.kysely.selectFrom('ip_allocations').select('ip_address').execute();
      expect(rows).toHaveLength(29);
      expect(new Set(rows.map((r) => r.ip_address)).size).toBe(29);
      expect(raced.every((p) => (p.fixed_ips as unknown[]).length === 1)).toBe(true);
      await expect(
        ports.create(
          ctx,
          fillDefaults({ network_id: net.id, project_id: 'p1', tenant_id: 'p1' }, portDefinition.attributes),
        ),
      ).rejects.toMatchObject({
        type: 'IpAddressGenerationFailure',
      });
    });

    it("tells compute when a server's port is plugged and deleted", async () => {
      const net = await networks.create(
        ctx,
        fillDefaults({ name: 'ev', project_id: 'p1', tenant_id: 'p1' }, networkDefinition.attributes),
      );
      const server = { device_owner: 'compute:nova', device_id: 'server-1', 'binding:host_id': 'node1' };
      const port = await ports.create(
        ctx,
        fillDefaults(
          { network_id: net.id, project_id: 'p1', tenant_id: 'p1', ...server },
          portDefinition.attributes,
        ),
      );
      expect(port.status).toBe('ACTIVE');
      expect(sent).toEqual([
        { name: 'network-vif-plugged', server_uuid: 'server-1', tag: port.id, status: 'completed' },
      ]);
      await ports.delete(ctx, port);
      expect(sent.at(-1)).toMatchObject({ name: 'network-vif-deleted', tag: port.id });
    });
  });
}
