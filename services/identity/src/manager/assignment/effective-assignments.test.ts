import { describe, expect, it } from 'vitest';
import { type Assignment, rolesOnDomain, rolesOnProject, rolesOnSystem } from './effective-assignments';
import { expandImpliedRoles, wouldCreateCycle } from './role-inference';

const a = (
  type: Assignment['type'],
  actorId: string,
  targetId: string,
  roleId: string,
  inherited = false,
): Assignment => ({ type, actorId, targetId, roleId, inherited });

describe('effective role assignments', () => {
  const lineage = { domainId: 'd1', parentIds: ['parent', 'grandparent'] };
  const assignments = [
    a('UserProject', 'alice', 'p1', 'member'),
    a('GroupProject', 'devs', 'p1', 'reader'),
    a('UserProject', 'alice', 'grandparent', 'auditor', true),
    a('UserProject', 'alice', 'p1', 'inherited-only', true),
    a('UserDomain', 'alice', 'd1', 'domain-admin'),
    a('GroupDomain', 'devs', 'd1', 'domain-wide', true),
    a('UserSystem', 'alice', 'system', 'admin'),
    a('UserProject', 'bob', 'p1', 'bobs'),
  ];

  it('combines direct, group and inherited grants on a project', () => {
    expect([...rolesOnProject('alice', ['devs'], 'p1', lineage, assignments)].sort()).toEqual([
      'auditor',
      'domain-wide',
      'member',
      'reader',
    ]);
    expect([...rolesOnProject('alice', [], 'p1', lineage, assignments)].sort()).toEqual([
      'auditor',
      'member',
    ]);
  });

  it('does not apply inherited grants to their own target, nor direct domain grants to projects', () => {
    const roles = rolesOnProject('alice', ['devs'], 'p1', lineage, assignments);
    expect(roles.has('inherited-only')).toBe(false);
    expect(roles.has('domain-admin')).toBe(false);
  });

  it('answers domain and system scope separately', () => {
    expect([...rolesOnDomain('alice', ['devs'], 'd1', assignments)]).toEqual(['domain-admin']);
    expect([...rolesOnSystem('alice', [], assignments)]).toEqual(['admin']);
    expect(rolesOnSystem('bob', [], assignments).size).toBe(0);
  });
});

describe('implied roles', () => {
  const rules = [
    { priorRoleId: 'admin', impliedRoleId: 'member' },
    { priorRoleId: 'member', impliedRoleId: 'reader' },
  ];
  it('expands transitively', () => {
    expect(expandImpliedRoles(['admin'], rules).sort()).toEqual(['admin', 'member', 'reader']);
    expect(expandImpliedRoles(['reader'], rules)).toEqual(['reader']);
  });
  it('detects cycles before they are created', () => {
    expect(wouldCreateCycle('reader', 'admin', rules)).toBe(true);
    expect(wouldCreateCycle('admin', 'admin', rules)).toBe(true);
    expect(wouldCreateCycle('admin', 'reader', rules)).toBe(false);
  });
});
