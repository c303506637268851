import { identityService } from '@nimbus/identity';
import { networkService } from '@nimbus/network';
import { cloudClientEnv, openstack, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real `openstack` CLI against identity and network in one test cloud.
describe('openstack CLI against network', () => {
  let cloud: TestCloud;
  let env: Record<string, string>;
  const os = (...args: string[]) => openstack(env, args);

  beforeAll(async () => {
    cloud = await startTestCloud([identityService, networkService], {
      identity: { password_hash_rounds: 4 },
    });
    env = cloudClientEnv(cloud);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('builds networks, subnets, ports, security groups, a router and a floating IP', async () => {
    const net = await os('network', 'create', 'cli-net', '-f', 'json');
    expect(net).toMatchObject({ name: 'cli-net', status: 'ACTIVE', admin_state_up: true });
    const v4 = await os(
      'subnet',
      'create',
      '--network',
      'cli-net',
      '--subnet-range',
      '10.40.0.0/24',
      'cli-v4',
      '-f',
      'json',
    );
    expect(v4).toMatchObject({ cidr: '10.40.0.0/24', gateway_ip: '10.40.0.1', ip_version: 4 });
    const v6 = await os(
      'subnet',
      'create',
      '--network',
      'cli-net',
      '--ip-version',
      '6',
      '--subnet-range',
      '2001:db8:40::/64',
      '--ipv6-ra-mode',
      'slaac',
      '--ipv6-address-mode',
      'slaac',
      'cli-v6',
      '-f',
      'json',
    );
    expect(v6).toMatchObject({ ip_version: 6, ipv6_address_mode: 'slaac' });
    const port = await os(
      'port',
      'create',
      '--network',
      'cli-net',
      '--fixed-ip',
      'subnet=cli-v4,ip-address=10.40.0.50',
      'cli-port',
      '-f',
      'json',
    );
    const ips = JSON.stringify(port.fixed_ips);
    expect(ips).toContain('10.40.0.50');
    expect(ips).toContain('2001:db8:40:0:');
    const listed = await os('port', 'list', '--network', 'cli-net', '-f', 'json');
    expect(listed.map((p: any) => p.Name)).toContain('cli-port');

    const sg = await os('security', 'group', 'create', 'cli-sg', '-f', 'json');
    expect(sg.name).toBe('cli-sg');
    const rule = await os(
      'security',
      'group',
      'rule',
      'create',
      '--protocol',
      'tcp',
      '--dst-port',
      '22',
      '--remote-ip',
      '0.0.0.0/0',
      'cli-sg',
      '-f',
      'json',
    );
    expect(rule).toMatchObject({
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      direction: 'ingress',
    });
    const rules = await os('security', 'group', 'rule', 'list', 'cli-sg', '-f', 'json');
    expect(rules).toHaveLength(3);

    await os('network', 'create', '--external', 'cli-public', '-f', 'json');
    await os(
      'subnet',
      'create',
      '--network',
      'cli-public',
      '--subnet-range',
      '198.51.100.0/24',
      '--no-dhcp',
      'cli-public-v4',
      '-f',
      'json',
    );
    await os('router', 'create', 'cli-router', '-f', 'json');
    await os('router', 'set', '--external-gateway', 'cli-public', 'cli-router');
    await os('router', 'add', 'subnet', 'cli-router', 'cli-v4');
    const router = await os('router', 'show', 'cli-router', '-f', 'json');
    expect(JSON.stringify(router.external_gateway_info)).toContain('198.51.100.');
    const fip = await os('floating', 'ip', 'create', '--port', 'cli-port', 'cli-public', '-f', 'json');
    expect(fip.floating_ip_address).toMatch(/^198\.51\.100\./);
    expect(fip.fixed_ip_address).toBe('10.40.0.50');
    const ext = await os('extension', 'list', '--network', '-f', 'json');
    expect(ext.map((e: any) => e.Alias)).toContain('router');
  }, 300_000);

  it('lists agents, shares a network by RBAC and makes a subnet from a pool', async () => {
    let agents: any[] = [];
    for (let i = 0; i < 20 && agents.length < 4; i++)
      agents = await os('network', 'agent', 'list', '-f', 'json');
    expect(agents.map((a: any) => a['Agent Type']).sort()).toEqual([
      'DHCP agent',
      'L3 agent',
      'Metadata agent',
      'Open vSwitch agent',
    ]);
    expect(agents.every((a: any) => a.Alive === true || a.Alive === ':-)')).toBe(true);
    const net = await os('network', 'create', 'cli-rbac-net', '-f', 'json');
    const rbac = await os(
      'network',
      'rbac',
      'create',
      '--type',
      'network',
      '--action',
      'access_as_shared',
      '--target-all-projects',
      net.id,
      '-f',
      'json',
    );
    expect(rbac).toMatchObject({ object_id: net.id, target_project_id: '*' });
    expect((await os('network', 'show', net.id, '-f', 'json')).shared).toBe(true);
    await os(
      'subnet',
      'pool',
      'create',
      '--pool-prefix',
      '10.90.0.0/16',
      '--default-prefix-length',
      '26',
      'cli-pool',
      '-f',
      'json',
    );
    const sub = await os(
      'subnet',
      'create',
      '--network',
      'cli-rbac-net',
      '--subnet-pool',
      'cli-pool',
      'cli-pool-sub',
      '-f',
      'json',
    );
    expect(sub.cidr).toBe('10.90.0.0/26');
  }, 300_000);
});
