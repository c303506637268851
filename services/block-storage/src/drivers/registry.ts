import type { VolumeDriverFactory } from './driver-api';
import { FakeVolumeDriver } from './fake/fake-volume-driver';
import { FileVolumeDriver } from './file/file-volume-driver';

/** The volume drivers by `volume_driver` name (the backend section's `volume_driver` option). */
export const volumeDrivers = {
  fake: (context) => new FakeVolumeDriver(context),
  file: (context) => new FileVolumeDriver(context),
} satisfies Record<string, VolumeDriverFactory>;
