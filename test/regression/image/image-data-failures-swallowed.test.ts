// Regression: the image service swallowed its stores' failures. Deleting an image whose data the
// store could not remove (EIO) left an orphan with no trace in the log; the file store answered
// "no data" (StoreNotFound, a 404 to the API) for a file it could not open (EIO); and an upload
// whose partial file could not be removed lost that failure. Each is now logged with its cause
// or reported as what it is.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { migrate, openTestDatabase } from '@nimbus/db';
import { FaultInjectingDiskIo } from '@nimbus/disk-faults';
import { StoreNotFound } from '@nimbus/image';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageMigrations } from '../../../services/image/src/db/migrations/index';
import { newImage } from '../../../services/image/src/db/repositories/image-fixture';
import { ImageRepository } from '../../../services/image/src/db/repositories/image-repository';
import { MemberRepository } from '../../../services/image/src/db/repositories/member-repository';
import { FileStore } from '../../../services/image/src/drivers/store/file-store';
import { ImageStores } from '../../../services/image/src/drivers/store/image-stores';
import { ImageManager } from '../../../services/image/src/manager/image-manager';
import { recordingLogger, WARN } from '../../object-storage/recording-logger';

describe('image store failures', () => {
  let dir: string;
  let faults: FaultInjectingDiskIo;
  let store: FileStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-image-faults-'));
    faults = new FaultInjectingDiskIo();
    store = new FileStore('file', join(dir, 'images'), faults.io);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('deleting an image whose data cannot be removed logs the orphan with its cause', async () => {
    const db = await openTestDatabase('sqlite', 'glance');
    try {
      await migrate(db, imageMigrations);
      const images = new ImageRepository(db);
      const stored = await store.add('img', Readable.from([Buffer.from('image bytes')]));
      const image = await images.create(newImage({ status: 'active', size: 11 }));
      await images.addLocation(image.id, { store: 'file', url: stored.location });
      const staging = new FileStore('staging', join(dir, 'staging'));
      const { log, lines } = recordingLogger();
      const manager = new ImageManager(
        images,
        new MemberRepository(db),
        new ImageStores([store], 'file', staging),
        { tags: 128, properties: 128, delayedDelete: false },
        undefined,
        undefined,
        undefined,
        undefined,
        log,
      );
      faults.inject({ op: 'rm', path: '/images/img', fault: { errno: 'EIO' } });
      await manager.delete({ projectId: 'p1', isAdmin: false }, image.id);
      expect(await images.get(image.id)).toBeUndefined();
      const logged = lines.find((l) => l.level === WARN && l.store === 'file');
      expect(logged?.err?.code).toBe('EIO');
      expect(logged?.imageId).toBe(image.id);
      expect(existsSync(join(dir, 'images', 'img'))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('a stored file that cannot be opened is an error, not "no data"', async () => {
    const stored = await store.add('img', Readable.from([Buffer.from('x')]));
    faults.inject({ op: 'openSync', path: '/images/img', fault: { errno: 'EIO' } });
    const err = await store.get(stored.location).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StoreNotFound);
    expect(err).toMatchObject({ code: 'EIO' });
    await expect(store.get(pathToFileURL(join(dir, 'images', 'none')).href)).rejects.toBeInstanceOf(
      StoreNotFound,
    );
  });

  it('an upload that fails and cannot remove its partial file reports both', async () => {
    faults.inject({ op: 'rm', path: '.partial', fault: { errno: 'EIO' } });
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    const err = (await store.add('cut', failing).catch((e: unknown) => e)) as AggregateError;
    expect(err).toBeInstanceOf(AggregateError);
    expect(err.errors.map((e: Error) => e.message)).toEqual([
      'client went away',
      expect.stringMatching(/EIO/),
    ]);
  });
});
