import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeVolumeDriver } from './fake/fake-volume-driver';
import { FileVolumeDriver } from './file/file-volume-driver';
import { describeVolumeDriverCompliance } from './volume-driver-compliance';

describeVolumeDriverCompliance('fake', async () => ({
  driver: new FakeVolumeDriver({
    host: 'node1@fake',
    backendName: 'fake-1',
    dataDir: '/nonexistent',
    options: {},
  }),
  storesData: false,
}));

for (const format of ['raw', 'qcow2'] as const)
  describeVolumeDriverCompliance(`file (${format})`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nimbus-file-driver-'));
    return {
      driver: new FileVolumeDriver({
        host: 'node1@file',
        backendName: 'file-1',
        dataDir,
        options: { volume_format: format },
      }),
      storesData: true,
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  });

describeVolumeDriverCompliance('file (raw, NBD exports)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nimbus-file-driver-'));
  return {
    driver: new FileVolumeDriver({
      host: 'node1@file',
      backendName: 'file-1',
      dataDir,
      options: { nbd_export: true },
    }),
    storesData: true,
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
});
