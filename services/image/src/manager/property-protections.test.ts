import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PropertyProtections } from './property-protections';

const dir = mkdtempSync(join(tmpdir(), 'nimbus-protections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ops = (create: string, read: string, update: string, del: string) =>
  `create = ${create}\nread = ${read}\nupdate = ${update}\ndelete = ${del}\n`;
const member = { projectId: 'p', isAdmin: false, roles: ['member', 'reader'] };
const admin = { projectId: 'p', isAdmin: true, roles: ['Admin'] };

describe('PropertyProtections', () => {
  it('lets the first matching section decide, by role, with @ and !, and denies unmatched properties', () => {
    const p = PropertyProtections.load(
      file(
        'roles.conf',
        `# comment\n[^x_billing_.*]\n${ops('admin', 'admin,member', 'admin', '!')}[^x_open]\n${ops('@', '@', '@', '@')}`,
      ),
      'roles',
    );
    expect(p.allows('x_billing_code', 'create', admin)).toBe(true);
    expect(p.allows('x_billing_code', 'create', member)).toBe(false);
    expect(p.allows('x_billing_code', 'read', member)).toBe(true);
    expect(p.allows('x_billing_code', 'delete', admin)).toBe(false);
    expect(p.allows('x_open', 'update', member)).toBe(true);
    expect(p.allows('anything_else', 'read', admin)).toBe(false);
  });

  it('asks the policy in the policies format', () => {
    const p = PropertyProtections.load(
      file('policies.conf', `[.*]\n${ops('context_is_admin', '@', 'context_is_admin', '!')}`),
      'policies',
      (rule, caller) => rule === 'context_is_admin' && caller.isAdmin,
    );
    expect(p.allows('k', 'create', admin)).toBe(true);
    expect(p.allows('k', 'create', member)).toBe(false);
    expect(p.allows('k', 'read', member)).toBe(true);
  });

  it('refuses malformed files', () => {
    expect(() => PropertyProtections.load(file('a.conf', `[x]\ncreate = @\n`), 'roles')).toThrow(/no 'read'/);
    expect(() =>
      PropertyProtections.load(file('b.conf', `[x]\n${ops('@,!', '@', '@', '@')}`), 'roles'),
    ).toThrow(/mutually exclusive/);
    expect(() =>
      PropertyProtections.load(file('c.conf', `[(]\n${ops('@', '@', '@', '@')}`), 'roles'),
    ).toThrow(/malformed/);
    expect(() =>
      PropertyProtections.load(file('d.conf', `[x]\n${ops('a,b', '@', '@', '@')}`), 'policies'),
    ).toThrow(/one policy/);
    expect(() => PropertyProtections.load(file('e.conf', 'create = @\n'), 'roles')).toThrow(
      /expected \[section\]/,
    );
  });
});
