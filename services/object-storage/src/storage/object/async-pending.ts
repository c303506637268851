import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { type DiskIo, nodeDiskIo } from '@nimbus/disk-faults';
import type { Logger } from '@nimbus/logging';
import { isGone } from './unreadable-object';

/** A container update the object server could not deliver, kept for the updater. */
export interface AsyncUpdate {
  op: 'PUT' | 'DELETE';
  account: string;
  container: string;
  obj: string;
  headers: Record<string, string>;
  node: { ip: string; port: number; device: string };
  part: string;
}

/**
 * What reading a pending update found: the update; nothing (another updater replayed and removed
 * it); a file that could not be read (an I/O error: left for the next pass); or one that does not
 * decode (quarantine it).
 */
export type PendingRead =
  | { kind: 'update'; update: AsyncUpdate }
  | { kind: 'gone' }
  | { kind: 'unreadable'; err: unknown }
  | { kind: 'corrupt'; err: Error };

/**
 * The async pending updates of a host's devices: `<device>/async_pending/<suffix>/<hash>-<timestamp>-<container device>`,
 * written whole (to a tmp name, then renamed) by the object server, replayed and removed by the
 * updater. A file is only ever removed once its update was delivered, or moved to
 * `<device>/quarantined/objects/` when it does not decode (as upstream's updater does).
 */
export class AsyncPendingStore {
  constructor(
    private readonly root: string,
    private readonly log: Logger,
    private readonly io: DiskIo = nodeDiskIo,
  ) {}

  /** Keeps an update under its object's path hash; resolves once the file is in place. */
  async save(device: string, hash: string, update: AsyncUpdate): Promise<void> {
    const dir = join(this.root, device, 'async_pending', hash.slice(-3));
    await this.io.mkdir(dir, { recursive: true });
    const file = join(dir, `${hash}-${update.headers['x-timestamp']}-${update.node.device}`);
    await this.io.writeFile(`${file}.tmp`, JSON.stringify(update));
    await this.io.rename(`${file}.tmp`, file);
  }

  /** The pending files of a device; a directory that cannot be listed is logged and skipped. */
  async list(device: string): Promise<string[]> {
    const base = join(this.root, device, 'async_pending');
    const out: string[] = [];
    let suffixes: string[];
    try {
      suffixes = await this.io.readdir(base);
    } catch (err) {
      if (!isGone(err)) this.log.warn({ err, dir: base }, 'cannot list async pending updates');
      return out;
    }
    for (const s of suffixes) {
      try {
        for (const f of await this.io.readdir(join(base, s)))
          if (!f.endsWith('.tmp')) out.push(join(base, s, f));
      } catch (err) {
        if (!isGone(err)) this.log.warn({ err, dir: join(base, s) }, 'cannot list async pending updates');
      }
    }
    return out;
  }

  /** Reads one pending file; never throws (see PendingRead). */
  async read(path: string): Promise<PendingRead> {
    let text: string;
    try {
      text = await this.io.readFile(path, 'utf8');
    } catch (err) {
      return isGone(err) ? { kind: 'gone' } : { kind: 'unreadable', err };
    }
    let update: unknown;
    try {
      update = JSON.parse(text);
    } catch (err) {
      return {
        kind: 'corrupt',
        err: new Error(`does not decode: ${(err as Error).message}`, { cause: err }),
      };
    }
    const u = update as Partial<AsyncUpdate> | null;
    if (
      !u ||
      typeof u !== 'object' ||
      (u.op !== 'PUT' && u.op !== 'DELETE') ||
      typeof u.account !== 'string' ||
      typeof u.container !== 'string' ||
      typeof u.obj !== 'string' ||
      typeof u.part !== 'string' ||
      typeof u.headers !== 'object' ||
      typeof u.node?.ip !== 'string' ||
      typeof u.node.port !== 'number' ||
      typeof u.node.device !== 'string'
    )
      return { kind: 'corrupt', err: new Error('is not a container update') };
    return { kind: 'update', update: u as AsyncUpdate };
  }

  /** Removes a delivered update; one gone already is fine. Throws other errors. */
  async remove(path: string): Promise<void> {
    try {
      await this.io.unlink(path);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }

  /**
   * Moves a pending file that does not decode to `<device>/quarantined/objects/<name>` (with a
   * unique tail when that name is taken); returns where it went.
   */
  async quarantine(path: string): Promise<string> {
    const device = dirname(dirname(dirname(path)));
    const target = join(device, 'quarantined', 'objects');
    await this.io.mkdir(target, { recursive: true });
    let to = join(target, basename(path));
    if (this.io.existsSync(to)) to = `${to}-${randomUUID().replace(/-/g, '')}`;
    await this.io.rename(path, to);
    return to;
  }
}
