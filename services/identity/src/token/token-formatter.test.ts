import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyRepository } from './key-repository';
import { newAuditId, TokenFormatter, UnreadableToken } from './token-formatter';
import { methodsToInt, payloadVersion, type TokenPayload } from './token-payload';

function formatter() {
  const repo = new KeyRepository(join(mkdtempSync(join(tmpdir(), 'nimbus-tok-')), 'keys'));
  repo.setup();
  const fernet = repo.fernet();
  return { repo, f: new TokenFormatter(() => fernet) };
}

const user = '0123456789abcdef0123456789abcdef';
const expiresAt = 1_900_000_000.123456;
const cases: [string, TokenPayload][] = [
  ['unscoped', { userId: user, methods: ['password'], expiresAt, auditIds: [newAuditId()] }],
  [
    'domain',
    { userId: user, methods: ['password'], expiresAt, auditIds: [newAuditId()], domainId: 'default' },
  ],
  [
    'project',
    {
      userId: user,
      methods: ['password', 'token'],
      expiresAt,
      auditIds: [newAuditId(), newAuditId()],
      projectId: 'fedcba9876543210fedcba9876543210',
    },
  ],
  [
    'trust',
    {
      userId: user,
      methods: ['token'],
      expiresAt,
      auditIds: [newAuditId()],
      projectId: 'p-not-uuid',
      trustId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    },
  ],
  [
    'oauth',
    {
      userId: user,
      methods: ['oauth1'],
      expiresAt,
      auditIds: [newAuditId()],
      projectId: 'p1',
      accessTokenId: 'at1',
    },
  ],
  [
    'system',
    { userId: 'admin-user', methods: ['password'], expiresAt, auditIds: [newAuditId()], system: 'all' },
  ],
  [
    'app cred',
    {
      userId: user,
      methods: ['application_credential'],
      expiresAt,
      auditIds: [newAuditId()],
      projectId: 'p1',
      applicationCredentialId: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    },
  ],
  [
    'federated',
    {
      userId: user,
      methods: ['mapped'],
      expiresAt,
      auditIds: [newAuditId()],
      federated: { groupIds: ['g1'], identityProviderId: 'idp', protocolId: 'saml2' },
    },
  ],
  [
    'federated project',
    {
      userId: user,
      methods: ['mapped'],
      expiresAt,
      auditIds: [newAuditId()],
      projectId: 'p1',
      federated: { groupIds: [], identityProviderId: 'idp', protocolId: 'oidc' },
    },
  ],
];

describe('TokenFormatter', () => {
  for (const [name, payload] of cases) {
    it(`round-trips a ${name} token (version ${payloadVersion(payload)})`, () => {
      const { f } = formatter();
      const token = f.create(payload);
      expect(token).not.toMatch(/=$/);
      expect(token.length).toBeLessThan(300);
      const { payload: back, issuedAt } = f.read(token);
      expect(back).toEqual(payload);
      expect(Math.abs(issuedAt - Date.now() / 1000)).toBeLessThan(5);
    });
  }

  it('keeps method bits in the configured order', () => {
    expect(methodsToInt(['external'])).toBe(1);
    expect(methodsToInt(['password', 'token'])).toBe(6);
    // A method outside the configured list adds no bit (ec2tokens' ec2credential), as upstream.
    expect(methodsToInt(['ec2credential', 'password'])).toBe(2);
  });

  it('refuses truncated, altered and foreign tokens as unreadable', () => {
    const { f } = formatter();
    const token = f.create(cases[2]![1]);
    const flipped = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`;
    for (const bad of [token.slice(0, -5), flipped, 'x'.repeat(80), '', formatter().f.create(cases[0]![1])]) {
      expect(() => f.read(bad)).toThrow(UnreadableToken);
    }
  });

  it('still reads tokens after a key rotation', () => {
    const { repo } = formatter();
    const f = new TokenFormatter(() => repo.fernet());
    const token = f.create(cases[0]![1]);
    repo.rotate();
    expect(f.read(token).payload.userId).toBe(user);
  });
});
