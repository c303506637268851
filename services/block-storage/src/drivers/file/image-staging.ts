import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { InspectingStream, mismatch, qemuImgInfo } from '@nimbus/disk-format';
import { ImageFormatMismatch, type ImageOutput, type ImageSource } from '../driver-api';
import { qemuFormatOf, qemuImgCopy } from './qemu-img-tool';

/** An image written to staging whose format was checked. */
export interface StagedImage {
  path: string;
  /** qemu-img's name of its real format. */
  qemuFormat: string;
  virtualSize: number;
}

/** Container formats whose payload is the disk image itself. */
const BARE = new Set(['bare', '']);

/**
 * Writes an image's bytes to `path` while inspecting them, then checks them: the declared
 * `disk_format` must be what the bytes are (and safe), the container must be bare, and a
 * non-raw image must pass `qemu-img info` (under limits) without a backing or data file.
 * On any refusal the staged file is removed and `ImageFormatMismatch` thrown.
 */
export async function stageImage(image: ImageSource, path: string): Promise<StagedImage> {
  try {
    if (!BARE.has(image.containerFormat ?? ''))
      throw new ImageFormatMismatch(
        image.diskFormat,
        `container_format ${image.containerFormat} is not supported`,
      );
    const inspecting = new InspectingStream();
    await pipeline(image.stream, inspecting, createWriteStream(path));
    const found = inspecting.result();
    const reason = mismatch(image.diskFormat, found);
    if (reason) throw new ImageFormatMismatch(image.diskFormat, reason);
    const qemuFormat = qemuFormatOf(found.format);
    if (qemuFormat === 'raw') return { path, qemuFormat, virtualSize: (await stat(path)).size };
    const info = await qemuImgInfo(path, qemuFormat).catch((err: unknown) => {
      throw new ImageFormatMismatch(
        image.diskFormat,
        `qemu-img cannot read it as ${qemuFormat}: ${String(err)}`,
      );
    });
    if (info['backing-filename']) throw new ImageFormatMismatch(image.diskFormat, 'image has a backing file');
    if (info['format-specific']?.data?.['data-file'])
      throw new ImageFormatMismatch(image.diskFormat, 'image has an external data file');
    return { path, qemuFormat, virtualSize: info['virtual-size'] };
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
}

/**
 * A volume file as an image in `diskFormat`: the file itself when no conversion is needed,
 * else a converted copy in staging that is removed once the stream ends or fails.
 */
export async function exportImage(
  source: { path: string; format: string },
  diskFormat: string,
  stagingPath: string,
): Promise<ImageOutput> {
  const qemuFormat = qemuFormatOf(diskFormat);
  if (qemuFormat === source.format) {
    const { size } = await stat(source.path);
    return { stream: createReadStream(source.path), sizeBytes: size, diskFormat };
  }
  await qemuImgCopy(source.path, source.format, stagingPath, qemuFormat);
  const { size } = await stat(stagingPath);
  const stream = createReadStream(stagingPath);
  stream.once('close', () => void rm(stagingPath, { force: true }));
  return { stream, sizeBytes: size, diskFormat };
}
