import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@nimbus/logging';
import { type RunningCloud, type ServiceDefinition, startCloud } from '@nimbus/service';

/** A cloud for tests: ephemeral ports on 127.0.0.1, a scratch data directory, no log noise. */
export interface TestCloud extends RunningCloud {
  /** The base URL of a service type (`identity` → `http://127.0.0.1:41234`). */
  url(type: string): string;
}

/**
 * Starts the given services in this process on ephemeral ports with a scratch data directory
 * that is removed on stop. Options are the same sections as nimbus.conf (`{ identity: {...} }`).
 */
export async function startTestCloud(
  services: readonly ServiceDefinition[],
  overrides: Record<string, Record<string, unknown>> = {},
): Promise<TestCloud> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-test-'));
  const cloud = await startCloud({
    services,
    ephemeralPorts: true,
    env: {},
    logger: process.env.NIMBUS_TEST_LOGS ? undefined : silentLogger(),
    overrides: { ...overrides, DEFAULT: { data_dir: dataDir, ...overrides.DEFAULT } },
  });
  return {
    ...cloud,
    url(type: string) {
      const ep = cloud.endpoints.find((e) => e.type === type);
      if (!ep) throw new Error(`no ${type} service in this test cloud`);
      return ep.url;
    },
    async stop() {
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
