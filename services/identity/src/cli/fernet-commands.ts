import { resolve } from 'node:path';
import { Command } from 'commander';
import { KeyRepository } from '../token/key-repository';

/** Where a key repository lives: the option when set, else under the data directory. */
export function keyRepositoryPath(dataDir: string, configured: string, name: string): string {
  return configured ? resolve(configured) : resolve(dataDir, name);
}

/**
 * `nimbus identity fernet-setup` and `fernet-rotate` (keystone-manage's), and the same for
 * credential keys. `load` turns the command's flags into the data directory and the configured
 * token key directory and key count.
 */
export function fernetCommands(
  load: (flags: Record<string, string | undefined>) => {
    dataDir: string;
    keyRepository: string;
    maxActiveKeys: number;
  },
  withFlags: (c: Command) => Command,
): Command[] {
  const repoFor = (flags: Record<string, string | undefined>, kind: 'token' | 'credential') => {
    const o = load(flags);
    return kind === 'token'
      ? new KeyRepository(keyRepositoryPath(o.dataDir, o.keyRepository, 'fernet-keys'), o.maxActiveKeys)
      : new KeyRepository(resolve(o.dataDir, 'credential-keys'), o.maxActiveKeys);
  };
  const report = (repo: KeyRepository) =>
    process.stdout.write(
      `${repo.directory}: ${repo.loadKeys().length} keys (primary, secondaries, staged)\n`,
    );
  return [
    withFlags(new Command('fernet-setup'))
      .description('Create the token key repository (a staged and a primary key) if it does not exist')
      .action((flags) => {
        const repo = repoFor(flags, 'token');
        repo.setup();
        report(repo);
      }),
    withFlags(new Command('fernet-rotate'))
      .description(
        'Promote the staged token key to primary, stage a new one, drop the oldest beyond max_active_keys',
      )
      .action((flags) => {
        const repo = repoFor(flags, 'token');
        repo.setup();
        repo.rotate();
        report(repo);
      }),
    withFlags(new Command('credential-setup'))
      .description('Create the credential key repository if it does not exist')
      .action((flags) => {
        const repo = repoFor(flags, 'credential');
        repo.setup();
        report(repo);
      }),
    withFlags(new Command('credential-rotate'))
      .description('Rotate the credential encryption keys (credentials stay readable with the kept keys)')
      .action((flags) => {
        const repo = repoFor(flags, 'credential');
        repo.setup();
        repo.rotate();
        report(repo);
      }),
  ];
}
