import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyRepository } from '../../token/key-repository';
import { TokenFormatter } from '../../token/token-formatter';
import { RevocationIndex } from '../revocation/revocation-index';
import { TokenNotFound, TokenProvider, type TokenSubjects } from './token-provider';

function setup() {
  const repo = new KeyRepository(join(mkdtempSync(join(tmpdir(), 'nimbus-tp-')), 'keys'));
  repo.setup();
  const fernet = repo.fernet();
  const state = {
    userEnabled: true,
    projectEnabled: true,
    domainEnabled: true,
    roles: ['member'],
    now: 1_000_000,
  };
  const subjects: TokenSubjects = {
    user: async (id) =>
      id === 'u1'
        ? { id, enabled: state.userEnabled, domainId: 'default', domainEnabled: state.domainEnabled }
        : undefined,
    project: async (id) =>
      id === 'p1'
        ? { id, enabled: state.projectEnabled, domainId: 'default', domainEnabled: state.domainEnabled }
        : undefined,
    domain: async (id) => (id === 'default' ? { id, enabled: state.domainEnabled } : undefined),
    roleIds: async () => state.roles,
  };
  const revocations = new RevocationIndex();
  const provider = new TokenProvider(new TokenFormatter(() => fernet), revocations, subjects, {
    expirationSeconds: 3600,
    allowExpiredWindowSeconds: 172_800,
    now: () => state.now,
  });
  return { provider, state, revocations };
}

describe('TokenProvider', () => {
  it('issues a project token that validates with its roles', async () => {
    const { provider } = setup();
    const { token, payload } = provider.issue({ userId: 'u1', methods: ['password'], projectId: 'p1' });
    expect(payload.expiresAt).toBe(1_003_600);
    const v = await provider.validate(token);
    expect(v.roleIds).toEqual(['member']);
    expect(v.payload.auditIds).toHaveLength(1);
  });

  it('rescoping keeps the audit chain and never extends the lifetime', () => {
    const { provider } = setup();
    const parent = provider.issue({ userId: 'u1', methods: ['password'] });
    const child = provider.issue({
      userId: 'u1',
      methods: ['password', 'token'],
      projectId: 'p1',
      expiresAt: parent.payload.expiresAt + 999,
      parentAuditIds: parent.payload.auditIds,
    });
    expect(child.payload.auditIds[1]).toBe(parent.payload.auditIds[0]);
    expect(child.payload.expiresAt).toBe(parent.payload.expiresAt);
  });

  it('refuses expired tokens unless allow_expired is asked within the window', async () => {
    const { provider, state } = setup();
    const { token } = provider.issue({ userId: 'u1', methods: ['password'], projectId: 'p1' });
    state.now += 3601;
    await expect(provider.validate(token)).rejects.toBeInstanceOf(TokenNotFound);
    expect((await provider.validate(token, { allowExpired: true })).payload.userId).toBe('u1');
    state.now += 172_800;
    await expect(provider.validate(token, { allowExpired: true })).rejects.toBeInstanceOf(TokenNotFound);
  });

  it('stops tokens of disabled users, projects and domains, and of users who lost their roles', async () => {
    for (const change of ['userEnabled', 'projectEnabled', 'domainEnabled', 'roles'] as const) {
      const { provider, state } = setup();
      const { token } = provider.issue({ userId: 'u1', methods: ['password'], projectId: 'p1' });
      if (change === 'roles') state.roles = [];
      else state[change] = false;
      await expect(provider.validate(token), change).rejects.toBeInstanceOf(TokenNotFound);
    }
  });

  it('honours revocation events at once, and only for tokens issued before them', async () => {
    const { provider, revocations } = setup();
    const { token, payload } = provider.issue({ userId: 'u1', methods: ['password'], projectId: 'p1' });
    // Issue times come from the Fernet timestamp (the real clock).
    const revokedAt = Math.ceil(Date.now() / 1000);
    revocations.add({ auditId: payload.auditIds[0], issuedBefore: revokedAt, revokedAt });
    await expect(provider.validate(token)).rejects.toBeInstanceOf(TokenNotFound);
    const other = provider.issue({ userId: 'u1', methods: ['password'], projectId: 'p1' });
    expect((await provider.validate(other.token)).payload.userId).toBe('u1');
  });

  it('treats garbage as not found', async () => {
    const { provider } = setup();
    for (const bad of ['', 'x'.repeat(100), 'gAAAAA'.repeat(30)])
      await expect(provider.validate(bad)).rejects.toBeInstanceOf(TokenNotFound);
  });
});
