import { randomUUID } from 'node:crypto';
import type { ImageRecord } from './image-repository';

/** A queued raw/bare image of project p1 to create in repository tests, with `over` applied. */
export const newImage = (
  over: Partial<ImageRecord> = {},
): Omit<ImageRecord, 'createdAt' | 'updatedAt' | 'locations'> => ({
  id: randomUUID(),
  name: null,
  status: 'queued',
  visibility: 'private',
  protected: false,
  osHidden: false,
  owner: 'p1',
  size: null,
  virtualSize: null,
  diskFormat: 'raw',
  containerFormat: 'bare',
  minDisk: 0,
  minRam: 0,
  checksum: null,
  osHashAlgo: null,
  osHashValue: null,
  properties: {},
  tags: [],
  ...over,
});
