import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VolumeDriverError } from '../driver-api';

const run = promisify(execFile);

/** Volume formats the file driver stores. */
export type VolumeFormat = 'raw' | 'qcow2';

/** qemu-img's name for an image service `disk_format`. */
export function qemuFormatOf(diskFormat: string): string {
  if (diskFormat === 'vhd') return 'vpc';
  if (diskFormat === 'iso') return 'raw';
  return diskFormat;
}

/**
 * Runs `qemu-img` with `args`; its stderr becomes the `VolumeDriverError` message. Volume files
 * are ours, so it runs without the resource limits untrusted images get (see @nimbus/disk-format).
 */
export async function qemuImg(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('qemu-img', args, { maxBuffer: 4 << 20 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new VolumeDriverError(`qemu-img ${args[0]} failed: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Copies `src` into a new file `dest` (in `to` format) with `qemu-img convert`, keeping holes
 * sparse; `-U` lets it read a file an attached guest holds open (a forced snapshot).
 */
export async function qemuImgCopy(src: string, from: string, dest: string, to: string): Promise<void> {
  await qemuImg([
    'convert',
    '-U',
    '-f',
    from,
    '-O',
    to,
    ...(to === 'qcow2' ? ['-o', 'preallocation=off'] : []),
    src,
    dest,
  ]);
}

/** Grows a volume file to `sizeBytes` (never shrinks). */
export async function qemuImgResize(path: string, format: string, sizeBytes: number): Promise<void> {
  await qemuImg(['resize', '-f', format, path, String(sizeBytes)]);
}
