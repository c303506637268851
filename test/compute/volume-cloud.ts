import { blockStorageService } from '@nimbus/block-storage';
import { type Caller, jsonCaller } from '@nimbus/testing';
import { computeCloud } from './compute-cloud';

/** A compute test cloud with block storage (fake backend) and a volume caller in the admin's project. */
export async function volumeCloud() {
  const env = await computeCloud({ block_storage: { enabled_backends: ['fake'], pool_report_interval: 1 } }, [
    blockStorageService,
  ]);
  const volume = jsonCaller(`${env.cloud.url('block-storage')}/v3/${env.projectId}`, env.token);
  return { ...env, volume };
}

/** Polls a volume until `done` holds (undefined once it is gone), at most ~10 s. */
export async function waitVolume(volume: Caller, id: string, done: (v: any) => boolean): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const r = await volume('GET', `/volumes/${id}`);
    if (r.status === 404) {
      if (done(undefined)) return undefined;
    } else if (done(r.body.volume)) return r.body.volume;
    await new Promise((res) => setTimeout(res, 20));
  }
  const last = await volume('GET', `/volumes/${id}`);
  throw new Error(`volume ${id} never reached the state: ${JSON.stringify(last.body)}`);
}

/** Creates a volume (from `imageRef` when given) and waits until it is available. */
export async function availableVolume(volume: Caller, body: Record<string, unknown> = {}): Promise<string> {
  const r = await volume('POST', '/volumes', { volume: { size: 1, ...body } });
  if (r.status !== 202) throw new Error(`volume create: ${r.status} ${JSON.stringify(r.body)}`);
  await waitVolume(volume, r.body.volume.id, (v) => v?.status === 'available');
  return r.body.volume.id;
}
