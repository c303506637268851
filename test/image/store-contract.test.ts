import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ObjectStoreClient, Session } from '@nimbus/clients';
import { identityService } from '@nimbus/identity';
import { FileStore, type ImageStore, StoreNotFound, SwiftStore } from '@nimbus/image';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The store driver contract, run against every store type: whole and ranged reads, deletes,
// a failed write that leaves nothing, and data larger than one write (segments for swift).
interface StoreUnderTest {
  store: ImageStore;
  /** What the store holds, to check that failures leave nothing behind. */
  leftovers(): Promise<string[]>;
}

const data = Buffer.from(Buffer.alloc(3 * 1024 * 1024 + 123).map((_, i) => (i * 31) % 256));
const chunks = (b: Buffer, size = 65536) =>
  Readable.from(
    Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)),
  );

function storeContract(name: string, setup: () => Promise<StoreUnderTest>) {
  describe(`${name} store contract`, () => {
    let s: StoreUnderTest;
    beforeAll(async () => {
      s = await setup();
    });

    it('stores a stream and reads it back whole and by range', async () => {
      const { location, size } = await s.store.add('11111111-2222-3333-4444-555555555555', chunks(data));
      expect(size).toBe(data.length);
      expect((await buffer(await s.store.get(location))).equals(data)).toBe(true);
      const range = { start: 1024 * 1024 - 10, end: 2 * 1024 * 1024 + 10 };
      expect(
        (await buffer(await s.store.get(location, range))).equals(data.subarray(range.start, range.end)),
      ).toBe(true);
      await s.store.delete(location);
      await expect(s.store.get(location)).rejects.toBeInstanceOf(StoreNotFound);
      expect(await s.leftovers()).toEqual([]);
    });

    it('keeps nothing of a write whose source fails midway, or at once', async () => {
      let sent = 0;
      const failing = new Readable({
        read() {
          if (sent >= 1_500_000) return this.destroy(new Error('client went away'));
          sent += 100_000;
          this.push(Buffer.alloc(100_000, 1));
        },
      });
      await expect(s.store.add('22222222-2222-3333-4444-555555555555', failing)).rejects.toThrow(
        'client went away',
      );
      const instant = new Readable({
        read() {
          this.destroy(new Error('gone at once'));
        },
      });
      await expect(s.store.add('33333333-2222-3333-4444-555555555555', instant)).rejects.toThrow(
        'gone at once',
      );
      expect(await s.leftovers()).toEqual([]);
    });

    it('stores an empty image', async () => {
      const { location, size } = await s.store.add('44444444-2222-3333-4444-555555555555', Readable.from([]));
      expect(size).toBe(0);
      expect((await buffer(await s.store.get(location))).length).toBe(0);
      await s.store.delete(location);
      expect(await s.leftovers()).toEqual([]);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
storeContract('file', async () => ({
  store: new FileStore('file', join(dir, 'images')),
  leftovers: async () => readdirSync(join(dir, 'images')),
}));

let cloud: TestCloud | undefined;
afterAll(async () => {
  await cloud?.stop();
});
storeContract('swift', async () => {
  cloud = await startTestCloud([identityService, objectStorageService], {
    identity: { password_hash_rounds: 4 },
    object_storage: { part_power: 6 },
  });
  const { token, projectId } = await adminToken(cloud);
  const session = new Session({
    authUrl: `${cloud.url('identity')}/v3`,
    auth: { kind: 'token', token, projectId },
  });
  const client = new ObjectStoreClient(session.endpointSource('object-store'));
  return {
    // 1 MiB segments: the 3 MiB image spans four.
    store: new SwiftStore('objects', client, { container: 'contract', chunkSize: 1024 * 1024 }),
    leftovers: async () => (await client.listObjects('contract', '')).map((o) => o.name),
  };
});
