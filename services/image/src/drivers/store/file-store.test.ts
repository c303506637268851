import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import { StoreNotFound } from './store-api';

/** Bytes of a file in the page cache, as util-linux's fincore counts them. */
const cachedBytes = (path: string) =>
  Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim());

/** `count` chunks of 1 MiB, each of its own byte value. */
function* chunks(count: number) {
  for (let i = 0; i < count; i++) yield Buffer.alloc(1024 * 1024, i % 251);
}

describe('file store', () => {
  let dir: string;
  let store: FileStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-store-'));
    store = new FileStore('file', join(dir, 'images'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores an image whole and durable, out of the page cache, and streams it back', async () => {
    const md5 = createHash('md5');
    for (const c of chunks(70)) md5.update(c);
    const stored = await store.add('img-1', Readable.from(chunks(70)));
    expect(stored.size).toBe(70 * 1024 * 1024);
    const path = fileURLToPath(stored.location);
    expect(cachedBytes(path)).toBe(0);
    const expected = md5.digest('hex');
    expect(createHash('md5').update(readFileSync(path)).digest('hex')).toBe(expected);
    const back = createHash('md5');
    for await (const c of await store.get(stored.location, { start: 1024 * 1024, end: 2 * 1024 * 1024 }))
      back.update(c);
    expect(back.digest('hex')).toBe(
      createHash('md5')
        .update(Buffer.alloc(1024 * 1024, 1))
        .digest('hex'),
    );
    // A whole read streams every byte back and leaves no page of it behind.
    const whole = createHash('md5');
    for await (const c of await store.get(stored.location)) whole.update(c);
    expect(whole.digest('hex')).toBe(expected);
    expect(cachedBytes(path)).toBe(0);
  });

  it('answers StoreNotFound for data that is not there, and lets a reader stop midway', async () => {
    await expect(store.get(pathToFileURL(join(dir, 'images', 'gone')).href)).rejects.toBeInstanceOf(
      StoreNotFound,
    );
    const stored = await store.add('img-3', Readable.from(chunks(40)));
    const reader = await store.get(stored.location);
    for await (const _ of reader) break;
    expect(reader.destroyed).toBe(true);
  });

  it('keeps nothing of an upload whose source fails midway', async () => {
    const failing = Readable.from(
      (function* () {
        yield* chunks(40);
        throw new Error('client went away');
      })(),
    );
    await expect(store.add('img-2', failing)).rejects.toThrow('client went away');
    expect(readdirSync(join(dir, 'images'))).toEqual([]);
  });
});
