import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { getAttributeSync, setAttributeSync } from '@napi-rs/xattr';

/**
 * The file system calls a storage layer makes (the object server's disk files, async pendings and
 * suffix hashes, the image file store), as one injectable interface. Each member has the contract
 * and the signature of the `node:fs` call of the same name; production passes `nodeDiskIo`, whose
 * members are those very functions (one property load per call, nothing else), and tests wrap it
 * in a `FaultInjectingDiskIo` to make chosen calls fail.
 */
export interface DiskIo {
  readonly existsSync: typeof fs.existsSync;
  readonly statSync: typeof fs.statSync;
  readonly readdirSync: typeof fs.readdirSync;
  readonly mkdirSync: typeof fs.mkdirSync;
  readonly rmdirSync: typeof fs.rmdirSync;
  readonly renameSync: typeof fs.renameSync;
  readonly unlinkSync: typeof fs.unlinkSync;
  readonly openSync: typeof fs.openSync;
  readonly closeSync: typeof fs.closeSync;
  readonly readSync: typeof fs.readSync;
  readonly writevSync: typeof fs.writevSync;
  readonly readFileSync: typeof fs.readFileSync;
  readonly writeFileSync: typeof fs.writeFileSync;
  readonly appendFileSync: typeof fs.appendFileSync;
  readonly writev: typeof fs.writev;
  readonly fsync: typeof fs.fsync;
  readonly fdatasync: typeof fs.fdatasync;
  /** `fs/promises` open: a FileHandle whose `read` and `close` the fault injector also watches. */
  readonly open: typeof fsp.open;
  readonly readFile: typeof fsp.readFile;
  readonly writeFile: typeof fsp.writeFile;
  readonly readdir: typeof fsp.readdir;
  readonly mkdir: typeof fsp.mkdir;
  readonly rename: typeof fsp.rename;
  readonly unlink: typeof fsp.unlink;
  readonly rm: typeof fsp.rm;
  readonly stat: typeof fsp.stat;
  /** An extended attribute's value, or undefined when the file has none of that name. */
  readonly getXattrSync: (path: string, name: string) => Buffer | undefined;
  readonly setXattrSync: (path: string, name: string, value: string | Buffer) => void;
}

/** The real file system. */
export const nodeDiskIo: DiskIo = {
  existsSync: fs.existsSync,
  statSync: fs.statSync,
  readdirSync: fs.readdirSync,
  mkdirSync: fs.mkdirSync,
  rmdirSync: fs.rmdirSync,
  renameSync: fs.renameSync,
  unlinkSync: fs.unlinkSync,
  openSync: fs.openSync,
  closeSync: fs.closeSync,
  readSync: fs.readSync,
  writevSync: fs.writevSync,
  readFileSync: fs.readFileSync,
  writeFileSync: fs.writeFileSync,
  appendFileSync: fs.appendFileSync,
  writev: fs.writev,
  fsync: fs.fsync,
  fdatasync: fs.fdatasync,
  open: fsp.open,
  readFile: fsp.readFile,
  writeFile: fsp.writeFile,
  readdir: fsp.readdir,
  mkdir: fsp.mkdir,
  rename: fsp.rename,
  unlink: fsp.unlink,
  rm: fsp.rm,
  stat: fsp.stat,
  getXattrSync: (path, name) => getAttributeSync(path, name) ?? undefined,
  setXattrSync: (path, name, value) => setAttributeSync(path, name, value),
};
