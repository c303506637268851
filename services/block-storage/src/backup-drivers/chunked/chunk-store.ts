/**
 * Where a chunked backup driver keeps its objects: Swift containers and objects, or directories
 * and files. Names are opaque to the store. Calls throw on failure; `get` of a missing object
 * answers undefined and `delete` of one succeeds.
 */
export interface ChunkStore {
  ensureContainer(container: string): Promise<void>;
  /** Stores an object whole; answers the store's MD5 (hex) of it when it computes one, else ''. */
  put(container: string, name: string, data: Buffer): Promise<string>;
  get(container: string, name: string): Promise<Buffer | undefined>;
  /** Names of the objects whose name starts with `prefix`. */
  list(container: string, prefix: string): Promise<string[]>;
  delete(container: string, name: string): Promise<void>;
  /** Called once a backup's objects are all deleted (a directory store removes empty directories). */
  containerEmptied?(container: string): Promise<void>;
}
