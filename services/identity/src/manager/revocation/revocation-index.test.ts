import { describe, expect, it } from 'vitest';
import type { RevocableToken } from './revocation-event';
import { RevocationIndex } from './revocation-index';

const token = (over: Partial<RevocableToken> = {}): RevocableToken => ({
  userId: 'alice',
  projectId: 'p1',
  domainIds: ['default'],
  roleIds: ['member'],
  auditIds: ['own', 'parent'],
  issuedAt: 100,
  ...over,
});

describe('RevocationIndex', () => {
  it('revokes exactly the tokens each event names, issued before it', () => {
    const idx = new RevocationIndex();
    idx.add({ userId: 'alice', issuedBefore: 150, revokedAt: 150 });
    expect(idx.isRevoked(token())).toBe(true);
    expect(idx.isRevoked(token({ issuedAt: 151 }))).toBe(false);
    expect(idx.isRevoked(token({ userId: 'bob' }))).toBe(false);
  });

  it('matches a role assignment removal on user, project and role together', () => {
    const idx = new RevocationIndex();
    idx.add({ userId: 'alice', projectId: 'p1', roleId: 'admin', issuedBefore: 150, revokedAt: 150 });
    expect(idx.isRevoked(token())).toBe(false);
    expect(idx.isRevoked(token({ roleIds: ['member', 'admin'] }))).toBe(true);
    expect(idx.isRevoked(token({ roleIds: ['admin'], projectId: 'p2' }))).toBe(false);
  });

  it('revokes one token by audit id, or a whole rescope chain by its first audit id', () => {
    const idx = new RevocationIndex();
    idx.add({ auditId: 'own', issuedBefore: 150, revokedAt: 150 });
    expect(idx.isRevoked(token())).toBe(true);
    expect(idx.isRevoked(token({ auditIds: ['other', 'parent'] }))).toBe(false);
    idx.add({ auditChainId: 'parent', issuedBefore: 150, revokedAt: 150 });
    expect(idx.isRevoked(token({ auditIds: ['other', 'parent'] }))).toBe(true);
  });

  it('revokes trust tokens with either party, and by project or domain', () => {
    const idx = new RevocationIndex();
    idx.add({ userId: 'trustor', issuedBefore: 150, revokedAt: 150 });
    expect(
      idx.isRevoked(token({ userId: 'trustee', trustorId: 'trustor', trusteeId: 'trustee', trustId: 't1' })),
    ).toBe(true);
    idx.add({ projectId: 'p9', issuedBefore: 150, revokedAt: 150 });
    expect(idx.isRevoked(token({ userId: 'carol', projectId: 'p9' }))).toBe(true);
    idx.add({ domainId: 'd2', issuedBefore: 150, revokedAt: 150 });
    expect(idx.isRevoked(token({ userId: 'dave', domainIds: ['d2'] }))).toBe(true);
    expect(idx.isRevoked(token({ userId: 'dave', domainIds: ['d3'] }))).toBe(false);
  });

  it('prunes events that can no longer match a live token', () => {
    const idx = new RevocationIndex();
    idx.add({ userId: 'alice', issuedBefore: 50, revokedAt: 50 });
    idx.add({ domainId: 'default', issuedBefore: 50, revokedAt: 50 });
    expect(idx.isRevoked(token({ issuedAt: 40 }))).toBe(true);
    idx.prune(60);
    expect(idx.isRevoked(token({ issuedAt: 40 }))).toBe(false);
  });

  it('checks a token against thousands of events quickly', () => {
    const idx = new RevocationIndex();
    for (let i = 0; i < 10_000; i++) idx.add({ userId: `u${i}`, issuedBefore: 150, revokedAt: 150 });
    const t = token({ userId: 'nobody' });
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) idx.isRevoked(t);
    expect((performance.now() - start) / 100_000).toBeLessThan(0.01);
  });
});
