import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pyRepr } from './py-repr';

describe('pyRepr', () => {
  it('renders JSON values as Python does', () => {
    expect(pyRepr({ a: [1, true, null, "it's"] })).toBe("{'a': [1, True, None, 'it\\'s']}");
  });

  it('elides nesting past 32 levels instead of recursing thousands deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const text = pyRepr(deep);
    expect(text.startsWith('[[[')).toBe(true);
    expect(text).toContain('[...]');
    expect(text.length).toBeLessThan(200);
  });

  it('names a stream by its type instead of walking its self-references', () => {
    expect(pyRepr(Readable.from(['x']))).toBe('<Readable>');
  });

  it('cuts a huge value at 4,096 characters', () => {
    expect(pyRepr('x'.repeat(1_000_000)).length).toBe(4096 + 3);
  });
});
