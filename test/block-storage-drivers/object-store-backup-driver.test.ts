import { ObjectStoreClient, Session } from '@nimbus/clients';
import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { describeBackupDriverCompliance } from '../../services/block-storage/src/backup-drivers/backup-driver-compliance';
import { ObjectStoreBackupDriver } from '../../services/block-storage/src/backup-drivers/object-store/object-store-backup-driver';

let cloud: TestCloud | undefined;

describeBackupDriverCompliance('object-store (real object storage)', async () => {
  cloud = await startTestCloud([identityService, objectStorageService], {
    identity: { password_hash_rounds: 4 },
    object_storage: { part_power: 6 },
  });
  const { token, projectId } = await adminToken(cloud);
  const session = new Session({
    authUrl: `${cloud.url('identity')}/v3`,
    auth: { kind: 'token', token, projectId },
  });
  const client = new ObjectStoreClient(session.endpointSource('object-store'));
  const driver = new ObjectStoreBackupDriver({
    host: 'backup-1',
    dataDir: cloud.dataDir,
    options: { backup_swift_object_size: 1024 * 1024, backup_swift_block_size: 32768 },
  });
  return {
    driver,
    extras: { objectStore: client },
    objects: async () =>
      (await client.listObjects('volumebackups', '')).map((o) => `volumebackups/${o.name}`),
    overwrite: async (container, name, data) => {
      await client.putObject(container, name, data);
    },
    cleanup: async () => {
      await cloud?.stop();
    },
  };
});
