import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What `qemu-img info --output=json` reports that the import checks. */
export interface QemuImgInfo {
  format: string;
  'virtual-size': number;
  'backing-filename'?: string;
  'format-specific'?: { data?: { 'data-file'?: string; 'create-type'?: string } };
}

/**
 * qemu-img parses hostile headers: run it under limits, as upstream does (1 GiB of address
 * space, 30 s of CPU), through util-linux's prlimit.
 */
const LIMITED = ['--as=1073741824', '--cpu=30', 'qemu-img'];

/** `qemu-img info` of a file read as `format` (never probed: probing is what attackers abuse). */
export async function qemuImgInfo(path: string, format: string): Promise<QemuImgInfo> {
  const { stdout } = await run('prlimit', [...LIMITED, 'info', '-f', format, '--output=json', path], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as QemuImgInfo;
}

/** `qemu-img convert` from one format to another into a new file. */
export async function qemuImgConvert(src: string, from: string, dest: string, to: string): Promise<void> {
  await run('qemu-img', ['convert', '-f', from, '-O', to, src, dest], { maxBuffer: 1 << 20 });
}
