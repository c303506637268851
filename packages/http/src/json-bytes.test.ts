import { describe, expect, it } from 'vitest';
import { JsonBytes, jsonBytesOf } from './json-bytes';

describe('JsonBytes', () => {
  it('writes numbers as JSON does', () => {
    for (const n of [0, 7, 10, 99, 100, 512, 123456789, Number.MAX_SAFE_INTEGER, -1, 1.5, 1e21]) {
      expect(new JsonBytes(4).number(n).done().toString()).toBe(JSON.stringify(n));
    }
  });

  it('grows past its first guess and keeps every byte', () => {
    const out = new JsonBytes(8);
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = i % 3 ? `"k${i}é":` : 'x'.repeat(i % 97);
      parts.push(s, String(i), ',');
      if (i % 2) out.bytes(Buffer.from(s));
      else out.text(s);
      out.number(i).char(0x2c);
    }
    expect(out.done().toString()).toBe(parts.join(''));
    expect(out.length).toBe(Buffer.byteLength(parts.join('')));
  });

  it('encodes values once for repeated copies', () => {
    expect(jsonBytesOf('a"b').toString()).toBe('"a\\"b"');
  });
});
