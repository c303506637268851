import { silentLogger } from '@nimbus/logging';
import { describe, expect, it } from 'vitest';
import { startRoleInstance } from './role-runner';
import type { RoleContext } from './service-definition';
import { defineService } from './service-definition';
import { expandHosts, listRoles, selectRoles, UnknownRoleError } from './service-roles';

const noop = async () => ({});
const a = defineService({
  id: 'alpha',
  type: 'alpha-type',
  name: 'alpha',
  options: [],
  migrations: [],
  roles: [
    { name: 'api', description: 'A.', http: { port: 1 }, aliases: ['alpha-type-api'], start: noop },
    { name: 'replicator', description: 'R.', start: noop },
  ],
});
// The single-role form: one `api` role named after the catalog type.
const b = defineService({
  type: 'beta',
  name: 'beta',
  port: 2,
  catalogPath: '/v1',
  options: [],
  migrations: [],
  start: noop,
});

describe('service roles', () => {
  it('lists roles as <service id>-<role>, the single-role form as <type>-api', () => {
    expect(listRoles([a, b]).map((r) => r.id)).toEqual(['alpha-api', 'alpha-replicator', 'beta-api']);
    expect(listRoles([b])[0]!.role.http).toEqual({ port: 2, catalogPath: '/v1' });
  });

  it('selects by id, alias or unique role name, in start order, and names what is unknown or ambiguous', () => {
    expect(selectRoles([a, b], ['beta-api', 'replicator', 'alpha-type-api']).map((r) => r.id)).toEqual([
      'alpha-api',
      'alpha-replicator',
      'beta-api',
    ]);
    expect(() => selectRoles([a, b], ['api'])).toThrow(/ambiguous.*alpha-api, beta-api/);
    expect(() => selectRoles([a, b], ['gamma-api'])).toThrow(UnknownRoleError);
  });

  it('expands host ranges', () => {
    expect(expandHosts(['n[1-3]', 'x', 'c[08-10].lab'])).toEqual([
      'n1',
      'n2',
      'n3',
      'x',
      'c08.lab',
      'c09.lab',
      'c10.lab',
    ]);
  });

  it('refuses a role whose start does not implement what it declares', async () => {
    const ctx = {
      config: { group: () => ({}) },
      logger: silentLogger(),
      host: 'h',
    } as unknown as RoleContext<unknown>;
    const role = {
      name: 'r',
      description: 'R.',
      periodic: [{ name: 'sweep', intervalSeconds: 1 }],
      start: noop,
    };
    await expect(startRoleInstance('alpha', role, ctx)).rejects.toThrow(
      /declared but not implemented: \[sweep\]/,
    );
    const extra = { ...role, periodic: [], start: async () => ({ periodic: { other: async () => {} } }) };
    await expect(startRoleInstance('alpha', extra, ctx)).rejects.toThrow(
      /implemented but not declared: \[other\]/,
    );
  });
});
