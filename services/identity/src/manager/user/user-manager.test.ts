import { migrate, openTestDatabase } from '@nimbus/db';
import { UnauthorizedError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import { identityMigrations } from '../../db/migrations/index';
import { ProjectRepository } from '../../db/repositories/project-repository';
import { UserRepository } from '../../db/repositories/user-repository';
import { PasswordHasher } from '../../password/password-hasher';
import { ignoreIdentityEvents } from '../identity-events';
import { ResourceManager } from '../resource/resource-manager';
import { complianceOff, type SecurityCompliance } from './security-compliance';
import { UserManager } from './user-manager';

async function setup(compliance: Partial<SecurityCompliance>, clock: { now: number }) {
  const db = await openTestDatabase('sqlite', 'identity');
  await migrate(db, identityMigrations);
  const projects = new ProjectRepository(db);
  await new ResourceManager(projects, ignoreIdentityEvents, { maxProjectTreeDepth: 5 }).createDomain({
    id: 'default',
    name: 'Default',
  });
  const changed: string[] = [];
  const users = new UserManager(
    new UserRepository(db),
    projects,
    new PasswordHasher({ rounds: 4, maxLength: 4096 }),
    { ...complianceOff, ...compliance },
    { ...ignoreIdentityEvents, passwordChanged: async (id) => void changed.push(id) },
    () => clock.now,
  );
  return { db, users, changed };
}

describe('UserManager', () => {
  it('authenticates by id or by name in a domain named by id or name, and nothing else', async () => {
    const clock = { now: Date.now() / 1000 };
    const { db, users } = await setup({}, clock);
    try {
      const u = await users.create({ name: 'alice', domainId: 'default', password: 'Secret-1' });
      expect((await users.authenticate({ id: u.id }, 'Secret-1')).id).toBe(u.id);
      expect((await users.authenticate({ name: 'alice', domain: { name: 'Default' } }, 'Secret-1')).id).toBe(
        u.id,
      );
      for (const [ref, pw] of [
        [{ id: u.id }, 'wrong'],
        [{ name: 'alice', domain: { id: 'nope' } }, 'Secret-1'],
        [{ name: 'bob', domain: { id: 'default' } }, 'Secret-1'],
      ] as const) {
        await expect(users.authenticate(ref, pw)).rejects.toBeInstanceOf(UnauthorizedError);
      }
      await users.update(u.id, { enabled: false });
      await expect(users.authenticate({ id: u.id }, 'Secret-1')).rejects.toBeInstanceOf(UnauthorizedError);
    } finally {
      await db.close();
    }
  });

  it('locks out after failed attempts for the configured time, unless the user is exempt', async () => {
    const clock = { now: Date.now() / 1000 };
    const { db, users } = await setup({ lockoutFailureAttempts: 2, lockoutDurationSeconds: 60 }, clock);
    try {
      const u = await users.create({ name: 'carol', domainId: 'default', password: 'Secret-1' });
      await expect(users.authenticate({ id: u.id }, 'x')).rejects.toThrow();
      await expect(users.authenticate({ id: u.id }, 'x')).rejects.toThrow();
      await expect(users.authenticate({ id: u.id }, 'Secret-1')).rejects.toBeInstanceOf(UnauthorizedError);
      await users.update(u.id, { options: { ignore_lockout_failure_attempts: true } });
      expect((await users.authenticate({ id: u.id }, 'Secret-1')).id).toBe(u.id);
    } finally {
      await db.close();
    }
  });

  it('expires admin-set passwords on first use and holds self-service changes to history and minimum age', async () => {
    const clock = { now: Date.now() / 1000 };
    const { db, users, changed } = await setup(
      { changePasswordUponFirstUse: true, uniqueLastPasswordCount: 2, minimumPasswordAgeDays: 1 },
      clock,
    );
    try {
      const u = await users.create({ name: 'dave', domainId: 'default', password: 'First-1' });
      await expect(users.authenticate({ id: u.id }, 'First-1')).rejects.toThrow(
        `needs to be changed for user: ${u.id}`,
      );
      await users.changePassword(u.id, 'First-1', 'Second-2');
      expect(changed).toEqual([u.id]);
      expect((await users.authenticate({ id: u.id }, 'Second-2')).id).toBe(u.id);
      await expect(users.changePassword(u.id, 'Second-2', 'Third-3')).rejects.toThrow('minimum password age');
      clock.now += 2 * 86_400;
      await expect(users.changePassword(u.id, 'Second-2', 'First-1')).rejects.toThrow(
        'identical to a previous password',
      );
      await users.changePassword(u.id, 'Second-2', 'Third-3');
      await expect(users.changePassword(u.id, 'wrong', 'Fourth-4')).rejects.toBeInstanceOf(UnauthorizedError);
    } finally {
      await db.close();
    }
  });
});
