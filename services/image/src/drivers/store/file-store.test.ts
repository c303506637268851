import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import { StoreNotFound } from './store-api';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileStore', () => {
  it('stores, reads ranges back, deletes, and leaves nothing behind a failed write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
    dirs.push(dir);
    const store = new FileStore('file', join(dir, 'images'));
    const { location, size } = await store.add(
      'img1',
      Readable.from([Buffer.from('hello '), Buffer.from('world')]),
    );
    expect(size).toBe(11);
    expect(await text(await store.get(location))).toBe('hello world');
    expect(await text(await store.get(location, { start: 6, end: 11 }))).toBe('world');
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.add('img2', failing)).rejects.toThrow('client went away');
    expect(readdirSync(join(dir, 'images'))).toEqual(['img1']);
    await store.delete(location);
    await expect(store.get(location)).rejects.toBeInstanceOf(StoreNotFound);
  });
});
