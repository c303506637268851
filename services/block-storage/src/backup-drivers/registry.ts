import type { BackupDriverFactory } from './backup-driver-api';
import { ObjectStoreBackupDriver } from './object-store/object-store-backup-driver';
import { PosixBackupDriver } from './posix/posix-backup-driver';

/** The backup drivers by `backup_driver` name. */
export const backupDrivers = {
  'object-store': (context) => new ObjectStoreBackupDriver(context),
  posix: (context) => new PosixBackupDriver(context),
} satisfies Record<string, BackupDriverFactory>;
