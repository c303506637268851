import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultInjectingDiskIo } from './fault-injecting-disk-io';

describe('FaultInjectingDiskIo', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-disk-faults-'));
    file = join(dir, 'a.data');
    writeFileSync(file, 'hello world');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes calls through when no rule matches', () => {
    const faults = new FaultInjectingDiskIo();
    faults.inject({ op: 'readFileSync', path: 'other', fault: { errno: 'EIO' } });
    expect(faults.io.readFileSync(file, 'utf8')).toBe('hello world');
    expect(faults.hits).toEqual([]);
  });

  it('throws an errno shaped as node:fs does, on the matching path only, `times` times', () => {
    const faults = new FaultInjectingDiskIo();
    faults.inject({ op: 'readFileSync', path: /\.data$/, fault: { errno: 'EIO' }, times: 1 });
    let err: NodeJS.ErrnoException | undefined;
    try {
      faults.io.readFileSync(file);
    } catch (e) {
      err = e as NodeJS.ErrnoException;
    }
    expect(err?.code).toBe('EIO');
    expect(err?.syscall).toBe('read');
    expect(err?.path).toBe(file);
    expect(faults.io.readFileSync(file, 'utf8')).toBe('hello world');
    expect(faults.hits).toHaveLength(1);
  });

  it('fails the reads of a descriptor opened on a matching path', () => {
    const faults = new FaultInjectingDiskIo();
    faults.inject({ op: 'readSync', path: file, fault: { errno: 'EIO' } });
    const fd = faults.io.openSync(file, 'r');
    try {
      expect(() => faults.io.readSync(fd, Buffer.alloc(4), 0, 4, 0)).toThrow(/EIO/);
    } finally {
      faults.io.closeSync(fd);
    }
  });

  it('cuts a file short for descriptor and FileHandle reads', async () => {
    const faults = new FaultInjectingDiskIo();
    faults.inject({ op: ['readSync', 'read'], path: file, fault: { truncateAt: 5 } });
    const fd = faults.io.openSync(file, 'r');
    const buf = Buffer.alloc(11);
    expect(faults.io.readSync(fd, buf, 0, 11, 0)).toBe(5);
    expect(faults.io.readSync(fd, buf, 5, 6, 5)).toBe(0);
    faults.io.closeSync(fd);
    const fh = await faults.io.open(file, 'r');
    expect((await fh.read(Buffer.alloc(11), 0, 11, 2)).bytesRead).toBe(3);
    await fh.close();
  });

  it('rejects promise calls and calls back callback calls', async () => {
    const faults = new FaultInjectingDiskIo();
    faults.inject({ op: ['rename', 'fdatasync'], fault: { errno: 'ENOSPC' } });
    await expect(faults.io.rename(file, `${file}.x`)).rejects.toMatchObject({ code: 'ENOSPC' });
    const fd = faults.io.openSync(file, 'r');
    const err = await new Promise((resolve) => faults.io.fdatasync(fd, resolve));
    faults.io.closeSync(fd);
    expect(err).toMatchObject({ code: 'ENOSPC', path: file });
  });

  it('returns corrupt bytes for whole-file reads and attribute values', async () => {
    const faults = new FaultInjectingDiskIo();
    const remove = faults.inject({ op: ['readFile', 'getXattrSync'], fault: { corrupt: '{not json' } });
    expect(await faults.io.readFile(file, 'utf8')).toBe('{not json');
    expect(faults.io.getXattrSync(file, 'user.swift.metadata')?.toString()).toBe('{not json');
    remove();
    expect(await faults.io.readFile(file, 'utf8')).toBe('hello world');
  });
});
