import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '@nimbus/auth';
import { Config } from '@nimbus/config';
import { osloPolicyOptions, PolicyFileError } from '@nimbus/policy';
import { testCredentials } from '@nimbus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNetworkPolicy, type NetworkPolicy } from './network-policy';

const creds = (projectId: string, roles: string[]): Credentials =>
  testCredentials({ projectId, roles, methods: [], expiresAt: new Date() });
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('network policy', () => {
  const open: NetworkPolicy[] = [];
  const dirs: string[] = [];
  const load = (oslo: Record<string, unknown> = {}, file?: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-netpol-'));
    dirs.push(dataDir);
    if (file !== undefined) {
      mkdirSync(join(dataDir, 'policy'));
      writeFileSync(join(dataDir, 'policy', 'network.yaml'), file);
    }
    const config = Config.load({ groups: [osloPolicyOptions], overrides: { oslo_policy: oslo } });
    const p = loadNetworkPolicy({ config, dataDir, logger, watch: false });
    open.push(p);
    return { p, dataDir };
  };
  afterEach(() => {
    for (const p of open.splice(0)) p.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("evaluates Neutron's defaults: shared and external networks, owners, admin, attribute rules", () => {
    const { p: check } = load();
    const member = creds('p1', ['member', 'reader']);
    const other = creds('p2', ['member', 'reader']);
    const network = { id: 'n', project_id: 'p1', shared: false, 'router:external': false };
    expect(check.allowed('get_network', network, member)).toBe(true);
    expect(check.allowed('get_network', network, other)).toBe(false);
    expect(check.allowed('get_network', { ...network, shared: true }, other)).toBe(true);
    expect(check.allowed('get_network', { ...network, 'router:external': true }, other)).toBe(true);
    expect(check.allowed('create_network:shared', network, member)).toBe(false);
    expect(check.allowed('create_network:shared', network, creds('p1', ['admin']))).toBe(true);
    // The owner of a network may pick addresses on it; another project may not.
    const port = { network_id: 'n', project_id: 'p2', 'network:tenant_id': 'p1' };
    expect(check.allowed('create_port:fixed_ips:ip_address', port, member)).toBe(true);
    expect(check.allowed('create_port:fixed_ips:ip_address', port, other)).toBe(false);
    // Router ports (device_owner network:*) are not for ordinary users to make.
    const routerPort = { ...port, device_owner: 'network:router_interface', 'network:tenant_id': 'p9' };
    expect(check.allowed('create_port:device_owner', routerPort, other)).toBe(false);
    const serverPort = { ...port, device_owner: 'compute:nova', 'network:tenant_id': 'p9' };
    expect(check.allowed('create_port:device_owner', serverPort, other)).toBe(true);
  });

  it("reads [oslo_policy] policy_dir/network.yaml, with field: checks in the operator's rules", () => {
    const member = creds('p1', ['member', 'reader']);
    const mine = { id: 'n', project_id: 'p1', shared: false };
    expect(load().p.allowed('get_network', mine, member)).toBe(true);
    // Only shared networks are visible, even to their owner.
    const { p } = load({}, 'get_network: "field:networks:shared=True"\n');
    expect(p.allowed('get_network', mine, member)).toBe(false);
    expect(p.allowed('get_network', { ...mine, shared: true }, member)).toBe(true);
  });

  it('reloads network.yaml when asked, and refuses a malformed field check at its line', () => {
    const member = creds('p1', ['member', 'reader']);
    const mine = { id: 'n', project_id: 'p1', shared: false };
    const { p, dataDir } = load({}, '');
    expect(p.allowed('get_network', mine, member)).toBe(true);
    writeFileSync(join(dataDir, 'policy', 'network.yaml'), 'get_network: "!"\n');
    expect(p.service.reload()).toEqual({ status: 'reloaded' });
    expect(p.allowed('get_network', mine, member)).toBe(false);
    writeFileSync(join(dataDir, 'policy', 'network.yaml'), '# x\nget_network: "field:networks:shared"\n');
    const refused = p.service.reload();
    expect(refused.status).toBe('refused');
    expect(refused.status === 'refused' && refused.error).toBeInstanceOf(PolicyFileError);
    expect(refused.status === 'refused' && refused.error.message).toMatch(/network\.yaml:2.*get_network/);
    expect(p.allowed('get_network', mine, member)).toBe(false);
  });

  it('lets an admin past every rule only while enforce_new_defaults is off, as Neutron does', () => {
    const admin = creds('p1', ['admin', 'member', 'reader']);
    const mine = { id: 'n', project_id: 'p1', shared: false };
    const closed = 'update_network: "!"\n';
    expect(load({}, closed).p.allowed('update_network', mine, admin)).toBe(true);
    expect(load({ enforce_new_defaults: true }, closed).p.allowed('update_network', mine, admin)).toBe(false);
  });

  it('throws for a rule name no default registers (a programming error)', () => {
    const { p } = load();
    expect(() => p.allowed('get_netwrok', {}, creds('p1', ['member']))).toThrow(/get_netwrok/);
  });
});
