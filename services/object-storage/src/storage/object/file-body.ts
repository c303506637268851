import type { FileHandle } from 'node:fs/promises';
import { type DiskIo, nodeDiskIo } from '@nimbus/disk-faults';
import type { DirectBody, DirectTarget } from '../../common/swift-http';
import { UnreadableObject } from './unreadable-object';

/** Bytes read from the file, and written to the socket, at a time. */
export const FILE_CHUNK = 2 * 1024 * 1024;

/** Spare chunk buffers kept between responses, so their pages stay mapped (at most 16 MiB). */
const MAX_SPARE = 8;
const spare: Buffer[] = [];

function takeBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafeSlow(FILE_CHUNK);
}

function giveBuffer(buf: Buffer): void {
  if (spare.length < MAX_SPARE) spare.push(buf);
}

/**
 * A byte range of a data file as a response body, opened when first read. Iterated, it yields
 * fresh 2 MiB buffers, as a read stream would. Written to a socket with `writeTo`, it reads into
 * two buffers in turn, the next chunk read while the previous one is written, and reuses them
 * (and, between responses, a few spare ones): a new buffer per chunk costs more in page faults than
 * the copy into the socket does, and a stream's per-chunk machinery more than both.
 */
export class FileBody implements DirectBody {
  private handle: FileHandle | undefined;
  private destroyed = false;

  /**
   * `end` is inclusive, as in a Range header. `onUnreadable` hears, once, that the file itself
   * failed (a read error, or fewer bytes than its metadata says): the object server quarantines it.
   * The body then fails with that UnreadableObject; failures of the output are not the file's.
   */
  constructor(
    readonly path: string,
    readonly start: number,
    readonly end: number,
    private readonly io: DiskIo = nodeDiskIo,
    private readonly onUnreadable?: (err: UnreadableObject) => void,
  ) {}

  get length(): number {
    return Math.max(0, this.end - this.start + 1);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const fh = await this.open();
    try {
      for (let pos = this.start; pos <= this.end && !this.destroyed; ) {
        const want = Math.min(FILE_CHUNK, this.end - pos + 1);
        const buffer = Buffer.allocUnsafe(want);
        const bytesRead = await this.read(fh, buffer, want, pos);
        pos += bytesRead;
        yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
      }
    } finally {
      await this.close();
    }
  }

  /**
   * Writes the range to `out` and resolves once every byte was handed to it (not ended). Rejects
   * when the file cannot be read or `out` fails or closes first; the caller then destroys `out`.
   */
  async writeTo(out: DirectTarget): Promise<void> {
    const fh = await this.open();
    // A write's callback is what says its buffer may be filled again; a socket closed under way
    // may never call it, so a close settles the wait too (the buffer is then not reused).
    let closed: (() => void) | undefined;
    const onClose = () => closed?.();
    out.once('close', onClose);
    const buffers = [takeBuffer(), takeBuffer()];
    let writing: Promise<void> | undefined;
    let reusable = true;
    try {
      for (let pos = this.start, turn = 0; pos <= this.end; turn ^= 1) {
        if (this.destroyed) throw new Error('file body destroyed');
        const buf = buffers[turn]!;
        const want = Math.min(FILE_CHUNK, this.end - pos + 1);
        const bytesRead = await this.read(fh, buf, want, pos);
        pos += bytesRead;
        // The other buffer's write must be done before this one goes (and that one is refilled).
        await writing;
        writing = new Promise<void>((resolve, reject) => {
          closed = () => reject(new Error('response closed'));
          out.write(buf.subarray(0, bytesRead), (err) => (err ? reject(err) : resolve()));
        });
        // Awaited after the next read; a failure meanwhile is not an unhandled rejection.
        writing.catch(() => {});
      }
      await writing;
    } catch (err) {
      reusable = false;
      // A write still under way must settle (its callback or the close) before the error goes up.
      await writing?.catch(() => {});
      throw err;
    } finally {
      out.off('close', onClose);
      if (reusable) for (const b of buffers) giveBuffer(b);
      await this.close();
    }
  }

  /** Releases the file; a read under way stops at its next chunk. */
  destroy(): void {
    this.destroyed = true;
    void this.close();
  }

  private async open(): Promise<FileHandle> {
    if (this.destroyed) throw new Error('file body destroyed');
    if (this.handle) throw new Error('file body read twice');
    try {
      this.handle = await this.io.open(this.path, 'r');
    } catch (err) {
      // Gone (a newer write's cleanup) is not damage: the response just fails.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
      throw this.unreadable(`cannot open: ${(err as Error).message}`, err);
    }
    return this.handle;
  }

  /** Reads the next chunk: at least one byte, or fails as unreadable. */
  private async read(fh: FileHandle, buf: Buffer, want: number, pos: number): Promise<number> {
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(buf, 0, want, pos));
    } catch (err) {
      throw this.unreadable(`read failed at byte ${pos}: ${(err as Error).message}`, err);
    }
    if (bytesRead === 0) throw this.unreadable(`ended ${this.end + 1 - pos} bytes early`);
    return bytesRead;
  }

  private unreadable(reason: string, cause?: unknown): UnreadableObject {
    const err = new UnreadableObject(this.path, reason, { cause });
    this.onUnreadable?.(err);
    return err;
  }

  private async close(): Promise<void> {
    const fh = this.handle;
    if (!fh) return;
    this.handle = undefined;
    // A read-only descriptor: closing it loses nothing, whatever close says.
    await fh.close().catch(() => {});
  }
}
