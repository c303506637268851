import { open, rename, rm, stat } from 'node:fs/promises';
import { inspect, mismatch, qemuImgConvert, qemuImgInfo } from '@nimbus/disk-format';
import type { ImportPlugin, PluginContext } from './import-plugin';

/** Formats qemu-img converts from: those our inspector verifies first. */
const CONVERTIBLE = new Set(['raw', 'qcow2', 'vmdk', 'vhd', 'vhdx', 'vdi']);

/** The bytes inspection reads of a file: its first 64 KiB, its last 512 bytes, its size. */
async function inspectFile(path: string) {
  const { size } = await stat(path);
  const fd = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await fd.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, 512));
    await fd.read(tail, 0, tail.length, size - tail.length);
    return inspect(head, tail, size);
  } finally {
    await fd.close();
  }
}

/**
 * `image_conversion`: converts the staged image to `outputFormat` with qemu-img. Before qemu-img
 * reads a byte, our inspector checks the content is the declared format and safe; then
 * `qemu-img info`, run under limits with the format given (never probed), must agree and show
 * no backing file, no external data file and, for VMDK, an allowed create type. The image ends
 * with the new disk format, container `bare` and its virtual size.
 */
export function imageConversion(outputFormat: string, vmdkAllowedTypes: readonly string[]): ImportPlugin {
  return {
    name: 'image_conversion',
    async run({ image, path, update }: PluginContext): Promise<void> {
      const from = image.diskFormat ?? '';
      if (!CONVERTIBLE.has(from)) throw new Error(`Unable to convert from format ${from}`);
      const problem = mismatch(from, await inspectFile(path));
      if (problem) throw new Error(`Image rejected by the format inspector: ${problem}`);
      const info = await qemuImgInfo(path, from);
      if (info.format !== from) throw new Error('Image metadata disagrees about format');
      if (info['backing-filename']) throw new Error('QCOW images with backing files are not allowed');
      const data = info['format-specific']?.data;
      if (data?.['data-file']) throw new Error('QCOW images with data-file set are not allowed');
      if (from === 'vmdk') {
        const type = data?.['create-type'];
        if (!type) throw new Error('Unable to determine VMDK create-type');
        if (!vmdkAllowedTypes.includes(type)) throw new Error('Invalid VMDK create-type specified');
      }
      await update({ virtualSize: info['virtual-size'] });
      if (from === outputFormat) return;
      const out = `${path}.${outputFormat}`;
      try {
        await qemuImgConvert(path, from, out, outputFormat);
        await rename(out, path);
      } catch (err) {
        await rm(out, { force: true });
        throw err;
      }
      await update({ diskFormat: outputFormat, containerFormat: 'bare' });
    },
  };
}
