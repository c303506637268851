import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import type { ImportPlugin, PluginContext } from './import-plugin';

/** Reads the first bytes of a file. */
async function head(path: string, bytes: number): Promise<Buffer> {
  const fd = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fd.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/** Extracts the one file of a zip archive (more than one is refused, as upstream). */
function unzipSingle(src: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(src, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable zip archive'));
      if (zip.entryCount !== 1) {
        zip.close();
        return reject(new Error('Archive contains more than one file.'));
      }
      zip.once('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('unreadable zip entry'));
          pipeline(stream, createWriteStream(dest))
            .then(resolve, reject)
            .finally(() => zip.close());
        });
      });
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

/**
 * `image_decompression`: a staged image that is a gzip stream or a single-file zip archive is
 * replaced by its content, unless its container format is `compressed` (then it is meant to
 * stay compressed).
 */
export const imageDecompression: ImportPlugin = {
  name: 'image_decompression',
  async run({ image, path }: PluginContext): Promise<void> {
    if (image.containerFormat === 'compressed') return;
    const magic = await head(path, 4);
    const gzip = magic.length >= 3 && magic[0] === 0x1f && magic[1] === 0x8b && magic[2] === 0x08;
    const zip = magic.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    if (!gzip && !zip) return;
    const out = `${path}.uc`;
    try {
      if (gzip) await pipeline(createReadStream(path), createGunzip(), createWriteStream(out));
      else await unzipSingle(path, out);
      await rename(out, path);
    } catch (err) {
      await rm(out, { force: true });
      throw err;
    }
  },
};
