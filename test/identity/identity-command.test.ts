import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const nimbus = (...args: string[]) =>
  run(process.execPath, ['apps/nimbus/bin/nimbus.mjs', ...args], {
    timeout: 120_000,
    env: { ...process.env, NIMBUS_IDENTITY__PASSWORD_HASH_ROUNDS: '4' },
  });

// `nimbus identity ...`, the operator commands, through the built executable.
describe('nimbus identity commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-identity-cmd-'));
  const dataDir = join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bootstraps into a new data directory, idempotently, and rotates the token keys', async () => {
    const first = await nimbus('identity', 'bootstrap', '--data-dir', dataDir, '--log-level', 'warn');
    expect(first.stdout).toContain('clouds.yaml');
    const clouds = join(dataDir, 'clouds.yaml');
    expect(statSync(clouds).mode & 0o777).toBe(0o600);
    const password = parse(readFileSync(clouds, 'utf8')).clouds.nimbus.auth.password;
    await nimbus('identity', 'bootstrap', '--data-dir', dataDir, '--log-level', 'warn');
    expect(parse(readFileSync(clouds, 'utf8')).clouds.nimbus.auth.password).toBe(password);
    const keys = () =>
      readdirSync(join(dataDir, 'fernet-keys'))
        .filter((f) => /^\d+$/.test(f))
        .sort();
    expect(keys()).toEqual(['0', '1']);
    expect((await nimbus('identity', 'fernet-rotate', '--data-dir', dataDir)).stdout).toContain('3 keys');
    expect(keys()).toEqual(['0', '1', '2']);
  });
}, 300_000);
