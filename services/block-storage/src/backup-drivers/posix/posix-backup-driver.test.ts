import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBackupDriverCompliance } from '../backup-driver-compliance';
import { PosixBackupDriver } from './posix-backup-driver';

describeBackupDriverCompliance('posix', async () => {
  const root = await mkdtemp(join(tmpdir(), 'nimbus-posix-backups-'));
  const driver = new PosixBackupDriver({
    host: 'backup-1',
    dataDir: '/nonexistent',
    options: { backup_posix_path: root, backup_file_size: 1024 * 1024, backup_sha_block_size_bytes: 32768 },
  });
  return {
    driver,
    extras: {},
    // Directories count too: a deleted backup must not leave its container's directories.
    objects: async () => (await readdir(root, { recursive: true })).sort(),
    overwrite: (container, name) => writeFile(join(root, container, name), 'not what was stored'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
