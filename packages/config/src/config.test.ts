import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, ConfigError } from './config';
import { defineOptions, opt } from './option';
import { generateSample } from './sample';

const identity = defineOptions('identity', 'Identity options.', {
  token_expiration: opt.int({ default: 3600, min: 60, max: 86_400, help: 'Seconds a token lives.' }),
  hash_algorithm: opt.enum({ choices: ['bcrypt', 'scrypt'], default: 'bcrypt', help: 'Password hash.' }),
  max_password_length: opt.int({ default: 4096, help: 'Longest password.', deprecatedNames: ['max_pw_len'] }),
  enabled_methods: opt.list({ default: ['password', 'token'], help: 'Auth methods.' }),
  debug_tokens: opt.bool({ default: false, help: 'Log tokens.' }),
  admin_password: opt.string({ default: '', secret: true, help: 'Bootstrap password.' }),
});
const defaults = defineOptions('DEFAULT', 'Common.', { data_dir: opt.string({ default: '.nimbus', help: 'Where data lives.' }) });

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nimbus-config-')), 'nimbus.conf');
  writeFileSync(path, text);
  return path;
}

describe('Config', () => {
  it('gives typed defaults when nothing is set', () => {
    const c = Config.load({ groups: [identity, defaults], env: {} });
    expect(c.group(identity).token_expiration).toBe(3600);
    expect(c.group(identity).enabled_methods).toEqual(['password', 'token']);
    expect(c.group(defaults).data_dir).toBe('.nimbus');
  });

  it('reads an oslo-style INI file, deprecated names included', () => {
    const path = file('[DEFAULT]\ndata_dir = /srv/nimbus\n\n[identity]\ntoken_expiration = 7200\nmax_pw_len = 128\nenabled_methods = password, totp\ndebug_tokens = True\n');
    const c = Config.load({ groups: [identity, defaults], file: path, env: {} });
    expect(c.group(identity)).toMatchObject({ token_expiration: 7200, max_password_length: 128, enabled_methods: ['password', 'totp'], debug_tokens: true });
    expect(c.group(defaults).data_dir).toBe('/srv/nimbus');
  });

  it('lets the environment override the file, and code override both', () => {
    const path = file('[identity]\ntoken_expiration = 7200\n');
    const c = Config.load({
      groups: [identity],
      file: path,
      env: { NIMBUS_IDENTITY__TOKEN_EXPIRATION: '600', NIMBUS_IDENTITY__HASH_ALGORITHM: 'scrypt' },
      overrides: { identity: { hash_algorithm: 'bcrypt' } },
    });
    expect(c.group(identity).token_expiration).toBe(600);
    expect(c.group(identity).hash_algorithm).toBe('bcrypt');
  });

  it('names the bad option, its section and the file', () => {
    const cases: [string, RegExp][] = [
      ['[identity]\ntoken_expiraton = 5\n', /unknown option 'token_expiraton' in \[identity\]/],
      ['[identty]\nx = 1\n', /unknown section \[identty\]/],
      ['[identity]\ntoken_expiration = soon\n', /invalid value for \[identity\] token_expiration: 'soon' is not an integer/],
      ['[identity]\ntoken_expiration = 5\n', /5 is below the minimum 60/],
      ['[identity]\nhash_algorithm = md5\n', /'md5' is not one of: bcrypt, scrypt/],
      ['[identity]\ndebug_tokens = maybe\n', /not a boolean/],
    ];
    for (const [text, message] of cases) {
      const path = file(text);
      expect(() => Config.load({ groups: [identity], file: path, env: {} })).toThrow(ConfigError);
      expect(() => Config.load({ groups: [identity], file: path, env: {} })).toThrow(message);
    }
    expect(() => Config.load({ groups: [identity], env: { NIMBUS_IDENTITY__NOPE: '1' } })).toThrow(/environment NIMBUS_IDENTITY__NOPE: unknown option 'nope'/);
    expect(() => Config.load({ groups: [identity], file: '/nonexistent/nimbus.conf', env: {} })).toThrow(/cannot read configuration file/);
  });

  it('generates a commented sample that hides secrets', () => {
    const sample = generateSample([defaults, identity]);
    expect(sample.indexOf('[DEFAULT]')).toBeLessThan(sample.indexOf('[identity]'));
    expect(sample).toContain('#token_expiration = 3600');
    expect(sample).toContain('(int value; minimum 60; maximum 86400)');
    expect(sample).toContain('#admin_password = <None>');
    expect(sample).toContain('allowed values: bcrypt, scrypt');
  });
});
