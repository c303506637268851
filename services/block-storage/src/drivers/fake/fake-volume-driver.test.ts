import { describe, expect, it } from 'vitest';
import { VolumeBackendFull, VolumeDriverError } from '../driver-api';
import { FakeVolumeDriver } from './fake-volume-driver';

const context = (options = {}) => ({ host: 'h@fake', backendName: 'fake', dataDir: '/nonexistent', options });

describe('fake volume driver', () => {
  it('fails the operations it is told to, once or always', async () => {
    const d = new FakeVolumeDriver(context({ fake_fail: ['extendVolume'] }));
    await d.init();
    d.failNext('createVolume');
    const err = await d.createVolume({ id: 'v1', sizeGb: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VolumeDriverError);
    expect((err as VolumeDriverError).retryable).toBe(true);
    expect(d.volumes.has('v1')).toBe(false);
    await d.createVolume({ id: 'v1', sizeGb: 1 });
    await expect(d.extendVolume({ id: 'v1', sizeGb: 1 }, 2)).rejects.toThrow(
      /Configured failure of extendVolume/,
    );
  });

  it('waits the configured delay per operation', async () => {
    const d = new FakeVolumeDriver(context({ fake_delay_ms: { createVolume: 120 } }));
    await d.init();
    const started = Date.now();
    await d.createVolume({ id: 'v1', sizeGb: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    const quick = Date.now();
    await d.deleteVolume({ id: 'v1', sizeGb: 1 });
    expect(Date.now() - quick).toBeLessThan(100);
  });

  it('keeps its capacity and refuses to run before init', async () => {
    const d = new FakeVolumeDriver(context({ fake_capacity_gb: 10 }));
    await expect(d.getPools()).rejects.toThrow(/not initialized/);
    await d.init();
    await d.createVolume({ id: 'a', sizeGb: 8 });
    await expect(d.createVolume({ id: 'b', sizeGb: 3 })).rejects.toBeInstanceOf(VolumeBackendFull);
    expect((await d.getPools())[0]!.freeCapacityGb).toBe(2);
    expect(d.calls).toContain('createVolume');
  });
});
