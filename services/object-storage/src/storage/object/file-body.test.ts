import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_CHUNK, FileBody } from './file-body';

/** A response stand-in that keeps a copy of each chunk and acknowledges it a little later, as a socket does. */
function slowTarget(fail?: (n: number) => Error | undefined) {
  const parts: Buffer[] = [];
  let n = 0;
  const target = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const err = fail?.(n++);
      // The copy is taken now, the acknowledgement comes later: a buffer refilled before its
      // callback would show up as wrong bytes.
      if (!err) parts.push(Buffer.from(chunk));
      setTimeout(() => cb(err), 2);
    },
  });
  return { target, bytes: () => Buffer.concat(parts) };
}

describe('file body', () => {
  let dir: string;
  let path: string;
  let data: Buffer;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-body-'));
    path = join(dir, 'obj.data');
    data = randomBytes(2 * FILE_CHUNK + 12345);
    writeFileSync(path, data);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the whole file through reused buffers without overwriting one before it was written', async () => {
    const { target, bytes } = slowTarget();
    await new FileBody(path, 0, data.length - 1).writeTo(target);
    expect(bytes().equals(data)).toBe(true);
    // The buffers went back to the spare list: a second body gets the same bytes right too.
    const again = slowTarget();
    await new FileBody(path, 100, data.length - 1).writeTo(again.target);
    expect(again.bytes().equals(data.subarray(100))).toBe(true);
  });

  it('writes and iterates a range that ends inside a chunk', async () => {
    const start = FILE_CHUNK - 10;
    const end = FILE_CHUNK + 20;
    const { target, bytes } = slowTarget();
    await new FileBody(path, start, end).writeTo(target);
    expect(bytes().equals(data.subarray(start, end + 1))).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of new FileBody(path, start, end)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(data.subarray(start, end + 1))).toBe(true);
  });

  it('yields fresh chunks when iterated', async () => {
    const chunks: Buffer[] = [];
    for await (const c of new FileBody(path, 0, data.length - 1)) chunks.push(c);
    expect(chunks.map((c) => c.length)).toEqual([FILE_CHUNK, FILE_CHUNK, 12345]);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('rejects when the response fails, and when the file is shorter than promised', async () => {
    const { target } = slowTarget((n) => (n === 1 ? new Error('socket gone') : undefined));
    target.on('error', () => {});
    await expect(new FileBody(path, 0, data.length - 1).writeTo(target)).rejects.toThrow('socket gone');
    await expect(new FileBody(path, 0, data.length + 10).writeTo(slowTarget().target)).rejects.toThrow(
      /ended 11 bytes early/,
    );
  });

  it('rejects when the response closes under way', async () => {
    // Never acknowledges a write; destroyed a moment later (before or after the first write).
    const target = new Writable({ write: () => {} });
    target.on('error', () => {});
    setTimeout(() => target.destroy(), 10);
    await expect(new FileBody(path, 0, data.length - 1).writeTo(target)).rejects.toThrow();
  });

  it('reads nothing once destroyed', async () => {
    const body = new FileBody(path, 0, data.length - 1);
    body.destroy();
    await expect(body.writeTo(slowTarget().target)).rejects.toThrow('destroyed');
  });
});
