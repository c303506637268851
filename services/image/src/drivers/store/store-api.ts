import type { Readable } from 'node:stream';

/** Where a store put an image's data. */
export interface StoredData {
  /** Store-specific address (`file:///...`), kept by the service and never shown. */
  location: string;
  size: number;
}

/**
 * The contract of an image store (glance_store's driver API, in our terms). Stores move bytes;
 * they never see the database or the API. `add` consumes the stream to its end or fails; a
 * failed `add` leaves nothing behind. `get` streams the data back, optionally a byte range
 * (inclusive `start`, exclusive `end`). Errors: StoreNotFound for a location that has no data.
 */
export interface ImageStore {
  /** Store id as `stores` and `/v2/info/stores` show it. */
  readonly id: string;
  /** Driver type as `/v2/info/stores/detail` shows it (`file`, `swift`). */
  readonly type: string;
  /** The driver's settings `/v2/info/stores/detail` shows. */
  properties(): Record<string, unknown>;
  add(imageId: string, data: Readable): Promise<StoredData>;
  get(location: string, range?: { start: number; end: number }): Promise<Readable>;
  delete(location: string): Promise<void>;
}

/**
 * How much image data moves at a time: what each stage of an upload buffers (socket reads come
 * 64 KiB at a time, and with streams' 16 KiB default every chunk would stall every stage) and
 * how much of a local file is read at once when an image streams out.
 */
export const DATA_CHUNK = 1024 * 1024;

/** The data a location names is gone. */
export class StoreNotFound extends Error {}
