import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropFromPageCache } from './page-cache';

/** Bytes of a file in the page cache, as util-linux's fincore counts them. */
const cached = (path: string) =>
  Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim());

describe('dropFromPageCache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'page-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes synced pages of a range, then of the whole file, out of the page cache', () => {
    const path = join(dir, 'data');
    const fd = openSync(path, 'w');
    try {
      const mib = Buffer.alloc(1024 * 1024, 7);
      for (let i = 0; i < 8; i++) writeSync(fd, mib);
      fdatasyncSync(fd);
      expect(cached(path)).toBe(8 * mib.length);
      expect(dropFromPageCache(fd, 0, 4 * mib.length)).toBe(true);
      expect(cached(path)).toBe(4 * mib.length);
      expect(dropFromPageCache(fd)).toBe(true);
      expect(cached(path)).toBe(0);
    } finally {
      closeSync(fd);
    }
  });
});
