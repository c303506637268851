import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImageFormatMismatch,
  VolumeBackendFull,
  type VolumeDriver,
  VolumeNotFoundOnBackend,
  type VolumeRef,
} from './driver-api';

const GIB = 1024 ** 3;

/** What a compliance run needs from the driver under test. */
export interface ComplianceTarget {
  driver: VolumeDriver;
  /** True when the driver really keeps bytes (clones, snapshots and reverts then carry data). */
  storesData: boolean;
  cleanup?(): Promise<void>;
}

async function writeAt(driver: VolumeDriver, v: VolumeRef, offset: number, text: string): Promise<void> {
  const access = await driver.openForRestore(v);
  const handle = await open(access.path, 'r+');
  await handle.write(Buffer.from(text), 0, text.length, offset);
  await handle.close();
  await access.close();
}

async function readAt(driver: VolumeDriver, v: VolumeRef, offset: number, length: number): Promise<string> {
  const access = await driver.openForBackup(v);
  const handle = await open(access.path, 'r');
  const out = Buffer.alloc(length);
  await handle.read(out, 0, length, offset);
  await handle.close();
  await access.close();
  return out.toString();
}

/** A qcow2 header (version 3, no backing file) of `size` virtual bytes: enough for the inspector. */
function qcow2Header(size: number): Buffer {
  const b = Buffer.alloc(1024);
  b.writeUInt32BE(0x514649fb, 0);
  b.writeUInt32BE(3, 4);
  b.writeBigUInt64BE(BigInt(size), 24);
  return b;
}

/**
 * The behaviour every volume driver owes its manager, whatever its backend: idempotent creates,
 * deletes of missing things succeed, honest pools, typed errors, raw access of the right size,
 * connections, manage/unmanage round trips; and, for drivers that keep bytes, data carried
 * through clones, snapshots, reverts and extends.
 */
export function describeVolumeDriverCompliance(label: string, make: () => Promise<ComplianceTarget>): void {
  describe(`volume driver compliance: ${label}`, () => {
    let t: ComplianceTarget;
    let d: VolumeDriver;
    const vol = (sizeGb = 1): VolumeRef => ({ id: randomUUID(), sizeGb });

    beforeAll(async () => {
      t = await make();
      d = t.driver;
      await d.init();
    });
    afterAll(async () => {
      await d.shutdown?.();
      await t.cleanup?.();
    });

    it('reports a pool with capacity and the backend name', async () => {
      const [pool] = await d.getPools();
      expect(pool).toBeDefined();
      expect(pool!.totalCapacityGb).toBeGreaterThan(0);
      expect(pool!.freeCapacityGb).toBeGreaterThanOrEqual(0);
      expect(pool!.freeCapacityGb).toBeLessThanOrEqual(pool!.totalCapacityGb);
      expect(pool!.volumeBackendName).toBeTruthy();
      expect(pool!.driverVersion).toMatch(/^\d+\.\d+/);
    });

    it('creates a volume once however often asked, and counts it as provisioned', async () => {
      const [before] = await d.getPools();
      const v = vol(2);
      const first = await d.createVolume(v);
      expect(await d.createVolume(v)).toEqual(first);
      const [after] = await d.getPools();
      expect(after!.provisionedCapacityGb - before!.provisionedCapacityGb).toBeCloseTo(2, 1);
      const access = await d.openForBackup(v);
      expect(access.sizeBytes).toBe(2 * GIB);
      await access.close();
      await d.deleteVolume(v);
      const [gone] = await d.getPools();
      expect(gone!.provisionedCapacityGb).toBeCloseTo(before!.provisionedCapacityGb, 1);
    });

    it('refuses a volume beyond what the pool can hold', async () => {
      const [pool] = await d.getPools();
      const huge = Math.ceil(pool!.totalCapacityGb * pool!.maxOverSubscriptionRatio) + 10;
      await expect(d.createVolume(vol(huge))).rejects.toBeInstanceOf(VolumeBackendFull);
    });

    it('deletes missing volumes and snapshots without complaint', async () => {
      const v = vol();
      await d.deleteVolume(v);
      await d.createVolume(v);
      await d.deleteVolume(v);
      await d.deleteVolume(v);
      await d.deleteSnapshot({ id: randomUUID(), volumeId: v.id, volumeSizeGb: 1 });
      await d.terminateConnection(v, { host: 'compute-1' });
    });

    it('answers VolumeNotFoundOnBackend for a volume or snapshot it does not hold', async () => {
      const ghost = vol();
      await expect(d.extendVolume(ghost, 2)).rejects.toBeInstanceOf(VolumeNotFoundOnBackend);
      await expect(d.createClonedVolume(vol(), ghost)).rejects.toBeInstanceOf(VolumeNotFoundOnBackend);
      await expect(
        d.createVolumeFromSnapshot(vol(), { id: randomUUID(), volumeId: ghost.id, volumeSizeGb: 1 }),
      ).rejects.toBeInstanceOf(VolumeNotFoundOnBackend);
      await expect(d.openForBackup(ghost)).rejects.toBeInstanceOf(VolumeNotFoundOnBackend);
    });

    it('grows a volume and never shrinks it', async () => {
      const v = vol(1);
      await d.createVolume(v);
      await d.extendVolume(v, 3);
      await d.extendVolume(v, 2);
      const access = await d.openForBackup({ ...v, sizeGb: 3 });
      expect(access.sizeBytes).toBe(3 * GIB);
      await access.close();
      await d.deleteVolume(v);
    });

    it('snapshots, clones and reverts, carrying the data when it keeps data', async () => {
      const v = vol(1);
      await d.createVolume(v);
      if (t.storesData) await writeAt(d, v, 4096, 'before-snapshot');
      const snap = { id: randomUUID(), volumeId: v.id, volumeSizeGb: 1 };
      await d.createSnapshot(snap, v);
      await d.createSnapshot(snap, v);
      if (t.storesData) await writeAt(d, v, 4096, 'after--snapshot');

      const fromSnap = vol(2);
      await d.createVolumeFromSnapshot(fromSnap, snap);
      const clone = vol(1);
      await d.createClonedVolume(clone, v);
      const fromSnapAccess = await d.openForBackup(fromSnap);
      expect(fromSnapAccess.sizeBytes).toBe(2 * GIB);
      await fromSnapAccess.close();

      await d.revertToSnapshot(v, snap);
      if (t.storesData) {
        expect(await readAt(d, fromSnap, 4096, 15)).toBe('before-snapshot');
        expect(await readAt(d, clone, 4096, 15)).toBe('after--snapshot');
        expect(await readAt(d, v, 4096, 15)).toBe('before-snapshot');
      }
      for (const x of [fromSnap, clone]) await d.deleteVolume(x);
      await d.deleteSnapshot(snap);
      await d.deleteVolume(v);
    });

    it('refuses an image whose bytes are not its declared format', async () => {
      const v = vol(1);
      await d.createVolume(v);
      const image = { stream: Readable.from([qcow2Header(GIB)]), diskFormat: 'raw', containerFormat: 'bare' };
      await expect(d.copyImageToVolume(v, image)).rejects.toBeInstanceOf(ImageFormatMismatch);
      const raw = Buffer.alloc(64 * 1024, 7);
      await d.copyImageToVolume(v, {
        stream: Readable.from([raw]),
        diskFormat: 'raw',
        containerFormat: 'bare',
      });
      if (t.storesData) expect(await readAt(d, v, 0, 4)).toBe('\x07\x07\x07\x07');
      const out = await d.copyVolumeToImage(v, 'raw');
      expect(out.sizeBytes).toBeGreaterThanOrEqual(raw.length);
      // The head is enough: reading a whole gigabyte would only time the disk.
      for await (const part of out.stream) {
        expect((part as Buffer)[0]).toBe(t.storesData ? 7 : 0);
        break;
      }
      await d.deleteVolume(v);
    });

    it('connects a host and disconnects it, idempotently', async () => {
      const v = vol(1);
      await d.createVolume(v);
      const info = await d.initializeConnection(v, { host: 'compute-1' });
      expect(['file', 'nbd']).toContain(info.driver_volume_type);
      expect(info.data.volume_id).toBe(v.id);
      expect(await d.initializeConnection(v, { host: 'compute-1' })).toEqual(info);
      await d.terminateConnection(v, { host: 'compute-1' });
      await d.terminateConnection(v, { host: 'compute-1' });
      await d.deleteVolume(v);
    });

    it('unmanages a volume and manages it back under a new id', async () => {
      const v = vol(1);
      await d.createVolume(v);
      const listed = await d.getManageableVolumes();
      expect(listed.find((m) => m.cinderId === v.id)?.safeToManage).toBe(false);
      await d.unmanage(v);
      const entry = (await d.getManageableVolumes()).find(
        (m) => m.safeToManage && JSON.stringify(m.reference).includes(v.id),
      );
      expect(entry).toBeDefined();
      expect(await d.manageExistingGetSize(entry!.reference)).toBe(1);
      const adopted = vol(1);
      await d.manageExisting(adopted, entry!.reference);
      expect((await d.getManageableVolumes()).find((m) => m.cinderId === adopted.id)).toBeDefined();
      await expect(d.manageExistingGetSize({ 'source-name': 'no-such-thing' })).rejects.toThrow(
        /invalid backend reference/,
      );
      await d.deleteVolume(adopted);
    });

    it('unmanages a snapshot and manages it back under a new id, of the same volume', async () => {
      const v = vol(1);
      await d.createVolume(v);
      const s = { id: randomUUID(), volumeId: v.id, volumeSizeGb: 1 };
      await d.createSnapshot(s, v);
      expect((await d.getManageableSnapshots()).find((m) => m.cinderId === s.id)?.safeToManage).toBe(false);
      await d.unmanageSnapshot(s);
      await d.unmanageSnapshot(s);
      const entry = (await d.getManageableSnapshots()).find(
        (m) => m.safeToManage && JSON.stringify(m.reference).includes(s.id),
      );
      expect(entry).toBeDefined();
      const adopted = { id: randomUUID(), volumeId: v.id, volumeSizeGb: 1 };
      expect(await d.manageExistingSnapshotGetSize(adopted, entry!.reference)).toBe(1);
      await d.manageExistingSnapshot(adopted, entry!.reference);
      const listed = await d.getManageableSnapshots();
      expect(listed.find((m) => m.cinderId === adopted.id)?.safeToManage).toBe(false);
      expect(listed.some((m) => m.safeToManage && JSON.stringify(m.reference).includes(s.id))).toBe(false);
      await expect(
        d.manageExistingSnapshot({ ...adopted, id: randomUUID() }, { 'source-name': 'no-such-snapshot' }),
      ).rejects.toThrow(/invalid backend reference/);
      await d.deleteSnapshot(adopted);
      await d.deleteVolume(v);
    });
  });
}
