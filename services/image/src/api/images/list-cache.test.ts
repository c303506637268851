import { describe, expect, it } from 'vitest';
import { ListCache } from './list-cache';

describe('ListCache', () => {
  it('answers from the cache while the generation holds, and recomputes once it moves', async () => {
    let gen = 1;
    let computed = 0;
    const cache = new ListCache(async () => gen, 2);
    const compute = async () => ({ n: ++computed });
    expect(await cache.answer('a', compute)).toEqual({ n: 1 });
    expect(await cache.answer('a', compute)).toEqual({ n: 1 });
    gen = 2;
    expect(await cache.answer('a', compute)).toEqual({ n: 2 });
    // Least recently used goes past the limit.
    await cache.answer('b', compute);
    await cache.answer('c', compute);
    expect(await cache.answer('a', compute)).toEqual({ n: 5 });
  });

  it('does not keep an answer computed while a write moved the generation', async () => {
    let gen = 1;
    const cache = new ListCache(async () => gen);
    let computed = 0;
    await cache.answer('k', async () => {
      gen++;
      return { n: ++computed };
    });
    expect(await cache.answer('k', async () => ({ n: ++computed }))).toEqual({ n: 2 });
  });
});
