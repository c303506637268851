import type { Credentials } from '@nimbus/auth';

/**
 * A caller's credentials for unit tests: a Default-domain user with the `member` role and a
 * token valid for ten minutes; `overrides` set the scope, roles or anything else a test needs.
 */
export function testCredentials(overrides: Partial<Credentials> = {}): Credentials {
  return {
    token: 't',
    userId: 'u',
    userName: 'u',
    userDomainId: 'default',
    userDomainName: 'Default',
    roles: ['member'],
    roleIds: [],
    isAdminProject: false,
    methods: ['password'],
    auditIds: [],
    issuedAt: new Date(),
    expiresAt: new Date(Date.now() + 600_000),
    ...overrides,
  };
}
