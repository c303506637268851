import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerBroker } from './container-broker';

describe('container broker', () => {
  let dir: string;
  let broker: ContainerBroker;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'broker-'));
    broker = new ContainerBroker(join(dir, 'c.db'));
    broker.initialise('AUTH_a', 'c', '0000000001.00000');
    const names = ['a/1', 'a/2', 'a/b/3', 'b', 'c/x', 'd'];
    broker.merge(
      names.map((name, i) => ({
        name,
        created_at: `000000000${i + 2}.00000`,
        size: i,
        content_type: 'text/plain',
        etag: 'e',
        deleted: 0,
      })),
    );
  });
  afterEach(() => {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const names = (rows: { name: string; subdir?: boolean }[]) =>
    rows.map((r) => (r.subdir ? `${r.name}*` : r.name));

  it('keeps counts as rows are merged, newest wins', () => {
    expect(broker.objectCount()).toBe(6);
    expect(broker.bytesUsed()).toBe(15);
    expect(
      broker.merge([
        { name: 'b', created_at: '0000000001.00000', size: 0, content_type: '', etag: '', deleted: 1 },
      ]),
    ).toBe(false);
    broker.merge([
      { name: 'b', created_at: '0000000099.00000', size: 0, content_type: '', etag: '', deleted: 1 },
    ]);
    expect(broker.objectCount()).toBe(5);
    expect(broker.bytesUsed()).toBe(12);
  });

  it('folds names by delimiter, pages by marker and end_marker, and reverses', () => {
    expect(names(broker.list({ limit: 100, delimiter: '/' }, 'size'))).toEqual(['a/*', 'b', 'c/*', 'd']);
    expect(names(broker.list({ limit: 100, delimiter: '/', prefix: 'a/' }, 'size'))).toEqual([
      'a/1',
      'a/2',
      'a/b/*',
    ]);
    expect(names(broker.list({ limit: 2, marker: 'a/2' }, 'size'))).toEqual(['a/b/3', 'b']);
    expect(names(broker.list({ limit: 100, endMarker: 'b' }, 'size'))).toEqual(['a/1', 'a/2', 'a/b/3']);
    expect(names(broker.list({ limit: 100, reverse: true, delimiter: '/' }, 'size'))).toEqual([
      'd',
      'c/*',
      'b',
      'a/*',
    ]);
    expect(names(broker.list({ limit: 2, reverse: true, marker: 'c/x' }, 'size'))).toEqual(['b', 'a/b/3']);
  });
});
