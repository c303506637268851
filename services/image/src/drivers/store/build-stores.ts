import { join, resolve } from 'node:path';
import type { ObjectStoreClient } from '@nimbus/clients';
import { FileStore } from './file-store';
import { ImageStores } from './image-stores';
import type { ImageStore } from './store-api';
import { SwiftStore } from './swift-store';

/** The `[image]` settings the stores are built from. */
export interface StoreSettings {
  enabled_backends: readonly string[];
  default_backend: string;
  filesystem_store_datadir: string;
  swift_store_container: string;
  swift_store_large_object_chunk_size: number;
}

/**
 * The configured stores (`id:type` entries; `file` and `swift`) and the staging area, all under
 * the data directory unless configured: the store with id `file` in `images/` (or
 * `filesystem_store_datadir`), other file stores in `images-<id>/`, staging (store `stagingId`)
 * in `image-staging/`.
 */
export function buildStores(
  o: StoreSettings,
  dataDir: string,
  stagingId: string,
  objectStore: () => ObjectStoreClient,
): ImageStores {
  const stores = o.enabled_backends.map((entry): ImageStore => {
    const [id, type] = entry.split(':').map((p) => p.trim());
    if (!id || (type !== 'file' && type !== 'swift'))
      throw new Error(`[image] enabled_backends: '${entry}' is not id:file or id:swift`);
    if (type === 'swift')
      return new SwiftStore(id, objectStore(), {
        container: o.swift_store_container,
        chunkSize: o.swift_store_large_object_chunk_size * 1024 * 1024,
      });
    const dir =
      id === 'file' && o.filesystem_store_datadir
        ? o.filesystem_store_datadir
        : join(dataDir, id === 'file' ? 'images' : `images-${id}`);
    return new FileStore(id, resolve(dataDir, dir));
  });
  return new ImageStores(
    stores,
    o.default_backend,
    new FileStore(stagingId, resolve(dataDir, 'image-staging')),
  );
}
