import { toCredentials } from '@nimbus/clients';
import { describe, expect, it } from 'vitest';
import { keystoneTime, tokenView } from './token-view';

describe('tokenView', () => {
  it('formats times with microseconds as Keystone does', () => {
    expect(keystoneTime(1_795_554_000.123456)).toBe('2026-11-24T21:00:00.123456Z');
    expect(keystoneTime(1_795_554_000)).toBe('2026-11-24T21:00:00.000000Z');
  });

  it('renders a project token that the credentials mapper of other services reads back', () => {
    const body = tokenView(
      { methods: ['password'], auditIds: ['a1'], issuedAt: 1_795_554_000, expiresAt: 1_795_557_600 },
      {
        user: {
          id: 'u1',
          name: 'alice',
          domain: { id: 'default', name: 'Default' },
          passwordExpiresAt: null,
        },
        project: { id: 'p1', name: 'demo', domain: { id: 'default', name: 'Default' } },
        roles: [{ id: 'r1', name: 'member' }],
        isAdminProject: false,
        catalog: [],
      },
    );
    expect(body.token).toMatchObject({
      is_domain: false,
      roles: [{ id: 'r1', name: 'member' }],
      expires_at: '2026-11-24T22:00:00.000000Z',
    });
    expect(body.token.user).toEqual({
      domain: { id: 'default', name: 'Default' },
      id: 'u1',
      name: 'alice',
      password_expires_at: null,
    });
    const creds = toCredentials('tok', body.token as never);
    expect(creds).toMatchObject({ userId: 'u1', projectId: 'p1', roles: ['member'], isAdminProject: false });
    expect(creds.expiresAt.toISOString()).toBe('2026-11-24T22:00:00.000Z');
  });

  it('renders system and unscoped tokens without project fields', () => {
    const user = {
      id: 'u1',
      name: 'alice',
      domain: { id: 'default', name: 'Default' },
      passwordExpiresAt: null,
    };
    const sys = tokenView(
      { methods: ['password'], auditIds: ['a'], issuedAt: 0, expiresAt: 1 },
      { user, system: true, roles: [{ id: 'r', name: 'admin' }] },
    );
    expect(sys.token.system).toEqual({ all: true });
    expect(sys.token.project).toBeUndefined();
    const unscoped = tokenView(
      { methods: ['password'], auditIds: ['a'], issuedAt: 0, expiresAt: 1 },
      { user, roles: [] },
    );
    expect(unscoped.token.roles).toBeUndefined();
  });
});
