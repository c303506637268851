import type { PoolRecord, ServiceRecord } from '../db/records';
import type { Stores } from '../db/stores';
import { cinderTime } from './clock';

/**
 * Keeps a service's row fresh (Cinder's `services` table heartbeat): the `os-services` list, the
 * scheduler's view of which volume services are up, and the pools they last reported.
 */
export async function reportService(
  stores: Stores,
  input: {
    binary: string;
    host: string;
    zone: string;
    pools?: PoolRecord[];
    capabilities?: Record<string, unknown>;
    up?: boolean;
  },
): Promise<void> {
  const id = `${input.binary}:${input.host}`;
  const now = cinderTime();
  const existing = await stores.services.get(id);
  if (existing) {
    await stores.services.update(id, () => ({
      heartbeat_at: now,
      updated_at: now,
      zone: input.zone,
      ...(input.pools ? { pools: input.pools } : {}),
      ...(input.capabilities ? { capabilities: input.capabilities } : {}),
      backend_state: input.up === false ? 'down' : 'up',
    }));
    return;
  }
  const record: ServiceRecord = {
    id,
    binary: input.binary,
    host: input.host,
    zone: input.zone,
    disabled: false,
    disabled_reason: null,
    frozen: false,
    heartbeat_at: now,
    pools: input.pools ?? [],
    capabilities: input.capabilities ?? {},
    backend_state: input.up === false ? 'down' : 'up',
    created_at: now,
    updated_at: now,
  };
  await stores.services.insert(record).catch(async () => {
    await stores.services.update(id, () => ({ heartbeat_at: now }));
  });
}
