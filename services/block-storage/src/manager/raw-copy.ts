import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHUNK_BYTES = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

/**
 * Copies the raw file `from` into the raw file `to` (same size or larger), which reads as
 * zeros (a freshly made volume): by `qemu-img convert -n`, which skips the holes of a sparse
 * source by asking the filesystem where data lies; where qemu-img is missing, by reading every
 * chunk and writing those that are not all zeros. Blocks for the whole copy; throws on any
 * error (the caller removes the half-written target).
 */
export async function copyRaw(from: string, to: string, sizeBytes: number): Promise<void> {
  try {
    await run('qemu-img', ['convert', '-n', '-f', 'raw', '-O', 'raw', from, to], {
      maxBuffer: 1024 * 1024,
    });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const src = await open(from, 'r');
  try {
    const dst = await open(to, 'r+');
    try {
      const buf = Buffer.alloc(CHUNK_BYTES);
      for (let at = 0; at < sizeBytes; at += CHUNK_BYTES) {
        const want = Math.min(CHUNK_BYTES, sizeBytes - at);
        const { bytesRead } = await src.read(buf, 0, want, at);
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        if (!chunk.equals(ZEROS.subarray(0, bytesRead))) await dst.write(chunk, 0, bytesRead, at);
      }
      await dst.sync();
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}
