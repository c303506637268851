import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupDriver, BackupDriverError, type BackupRecord } from './backup-driver-api';

/** What a compliance run needs: the driver, how calls reach its store, and a look into the store. */
export interface BackupComplianceTarget {
  driver: BackupDriver;
  /** Extra request fields (the object-store driver's `objectStore`). */
  extras: Record<string, unknown>;
  /** Every object the store holds, as `<container>/<name>`. */
  objects(): Promise<string[]>;
  /** Replaces an object's bytes (to test corruption). */
  overwrite(container: string, name: string, data: Buffer): Promise<void>;
  cleanup?(): Promise<void>;
}

const MIB = 1024 * 1024;

/**
 * The behaviour every backup driver owes the backup manager, run with 1 MiB objects and 32 KiB
 * SHA blocks: upstream's object names, full and incremental backups that restore byte-identical
 * (checked with `qemu-img compare`), incrementals storing only changed extents, deletes that
 * remove exactly one backup's objects, corruption and cancellation reported as
 * `BackupDriverError` with nothing left behind.
 */
export function describeBackupDriverCompliance(
  label: string,
  make: () => Promise<BackupComplianceTarget>,
): void {
  describe(`backup driver compliance: ${label}`, () => {
    let t: BackupComplianceTarget;
    let work: string;
    let volume: string;
    const volumeId = randomUUID();
    const size = 3 * MIB + 64 * 1024;
    const record = (extra: Partial<BackupRecord> = {}): BackupRecord => ({
      id: randomUUID(),
      volumeId,
      availabilityZone: 'nova',
      name: 'nightly',
      ...extra,
    });

    const fresh = async (name: string) => {
      const path = join(work, name);
      await writeFile(path, '');
      await truncate(path, size);
      return { path, sizeBytes: size };
    };

    beforeAll(async () => {
      t = await make();
      await t.driver.init();
      work = await mkdtemp(join(tmpdir(), 'nimbus-backup-compliance-'));
      volume = join(work, 'volume.raw');
      // Random data, a zero hole, then random data again: compressible and incompressible chunks.
      await writeFile(
        volume,
        Buffer.concat([randomBytes(MIB + 100), Buffer.alloc(MIB), randomBytes(size - 2 * MIB - 100)]),
      );
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
      await t.cleanup?.();
    });

    let full: BackupRecord;
    let incremental: BackupRecord;

    it('backs up in upstream-named chunks with _metadata and _sha256file objects', async () => {
      const progress: number[] = [];
      const b = record();
      const result = await t.driver.backup({
        backup: b,
        source: { path: volume, sizeBytes: size },
        onProgress: (done) => progress.push(done),
        ...t.extras,
      });
      full = { ...b, container: result.container, serviceMetadata: result.serviceMetadata };
      expect(result.objectCount).toBe(4 + 2);
      expect(result.sizeBytes).toBe(size);
      expect(progress.at(-1)).toBe(size);
      const names = (await t.objects()).filter((n) => n.includes(`_backup_${b.id}`));
      expect(names.map((n) => n.slice(n.lastIndexOf(b.id) + b.id.length)).sort()).toEqual([
        '-00001',
        '-00002',
        '-00003',
        '-00004',
        '_metadata',
        '_sha256file',
      ]);
      expect(result.serviceMetadata).toContain(`volume_${volumeId}`);
    });

    it('restores a full backup byte-identical', async () => {
      const target = await fresh('restored-full.raw');
      await t.driver.restore({ backup: full, chain: [full], target, ...t.extras });
      expect(
        execFileSync('qemu-img', ['compare', '-f', 'raw', '-F', 'raw', volume, target.path], {
          encoding: 'utf8',
        }),
      ).toMatch(/identical/);
    });

    it('refuses to restore into a smaller target, writing nothing', async () => {
      const path = join(work, 'too-small.raw');
      await writeFile(path, '');
      await truncate(path, MIB);
      await expect(
        t.driver.restore({ backup: full, chain: [full], target: { path, sizeBytes: MIB }, ...t.extras }),
      ).rejects.toBeInstanceOf(BackupDriverError);
      expect((await readFile(path)).equals(Buffer.alloc(MIB))).toBe(true);
    });

    it('stores only changed extents in an incremental backup, and restores the chain', async () => {
      const original = await readFile(volume);
      const changed = Buffer.from(original);
      randomBytes(10).copy(changed, 40_000);
      randomBytes(70_000).copy(changed, 2 * MIB + 5);
      await writeFile(volume, changed);
      const b = record({ parentId: full.id });
      const result = await t.driver.backup({
        backup: { ...b, parent: full },
        source: { path: volume, sizeBytes: size },
        ...t.extras,
      });
      incremental = { ...b, container: result.container, serviceMetadata: result.serviceMetadata };
      // One extent in the first chunk, one spanning three blocks in the third: two objects.
      expect(result.objectCount).toBe(2 + 2);

      const chained = await fresh('restored-chain.raw');
      await t.driver.restore({
        backup: incremental,
        chain: [full, incremental],
        target: chained,
        ...t.extras,
      });
      expect((await readFile(chained.path)).equals(changed)).toBe(true);
      const old = await fresh('restored-old.raw');
      await t.driver.restore({ backup: full, chain: [full], target: old, ...t.extras });
      expect((await readFile(old.path)).equals(original)).toBe(true);
    });

    it('reports a corrupt object on restore', async () => {
      const name = `${incremental.serviceMetadata}-00001`;
      await t.overwrite(incremental.container!, name, Buffer.from('not what was stored'));
      const target = await fresh('restored-corrupt.raw');
      await expect(
        t.driver.restore({ backup: incremental, chain: [full, incremental], target, ...t.extras }),
      ).rejects.toBeInstanceOf(BackupDriverError);
    });

    it('refuses an incremental whose parent is gone', async () => {
      const ghost = {
        ...record(),
        container: full.container,
        serviceMetadata: `${full.serviceMetadata}-ghost`,
      };
      await expect(
        t.driver.backup({
          backup: { ...record(), parent: ghost },
          source: { path: volume, sizeBytes: size },
          ...t.extras,
        }),
      ).rejects.toBeInstanceOf(BackupDriverError);
    });

    it('leaves nothing behind when a backup is cancelled', async () => {
      const before = await t.objects();
      const controller = new AbortController();
      const b = record();
      const taking = t.driver.backup({
        backup: b,
        source: { path: volume, sizeBytes: size },
        onProgress: () => controller.abort(),
        signal: controller.signal,
        ...t.extras,
      });
      await expect(taking).rejects.toThrow(/cancelled/);
      expect(await t.objects()).toEqual(before);
    });

    it('deletes one backup at a time, the parent staying restorable, and leaves nothing at the end', async () => {
      await t.driver.delete({ backup: incremental, ...t.extras });
      await t.driver.delete({ backup: incremental, ...t.extras });
      expect((await t.objects()).some((n) => n.includes(incremental.id))).toBe(false);
      const target = await fresh('restored-after-delete.raw');
      await t.driver.restore({ backup: full, chain: [full], target, ...t.extras });
      await t.driver.delete({ backup: full, ...t.extras });
      await t.driver.delete({ backup: record(), ...t.extras });
      expect(await t.objects()).toEqual([]);
    });
  });
}
