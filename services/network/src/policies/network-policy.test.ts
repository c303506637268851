import type { Credentials } from '@nimbus/auth';
import { testCredentials } from '@nimbus/testing';
import { describe, expect, it } from 'vitest';
import { networkPolicyCheck, rewriteFieldChecks } from './network-policy';

const creds = (projectId: string, roles: string[]): Credentials =>
  testCredentials({ projectId, roles, methods: [], expiresAt: new Date() });

describe('network policy', () => {
  it('rewrites field checks into generic checks on computed keys', () => {
    expect(rewriteFieldChecks('rule:a or field:networks:shared=True')).toBe(
      "rule:a or 'True':%(field:networks:shared=True)s",
    );
    expect(rewriteFieldChecks('not field:port:device_owner=~^network:')).toBe(
      "not 'True':%(field:port:device_owner=~^network:)s",
    );
  });

  it("evaluates Neutron's defaults: shared and external networks, owners, admin, attribute rules", () => {
    const check = networkPolicyCheck({ enforceScope: false, enforceNewDefaults: false });
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
    expect(
      check.allowed(
        'create_port:device_owner',
        { ...port, device_owner: 'network:router_interface', 'network:tenant_id': 'p9' },
        other,
      ),
    ).toBe(false);
    expect(
      check.allowed(
        'create_port:device_owner',
        { ...port, device_owner: 'compute:nova', 'network:tenant_id': 'p9' },
        other,
      ),
    ).toBe(true);
  });
});
