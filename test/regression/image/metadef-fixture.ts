import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';

/** An identity + image cloud and an admin token, for the metadefs regression tests. */
export interface MetadefCloud {
  cloud: TestCloud;
  /** Sends JSON (or `raw` text) to the image API as the admin; answers status and parsed body. */
  call(method: string, path: string, body?: unknown, raw?: boolean): Promise<{ status: number; body: any }>;
}

/** Starts the cloud; stop it with `cloud.stop()`. */
export async function startMetadefCloud(): Promise<MetadefCloud> {
  const cloud = await startTestCloud([identityService, imageService], {
    identity: { password_hash_rounds: 4 },
  });
  const { token } = await adminToken(cloud);
  return {
    cloud,
    async call(method, path, body, raw = false) {
      const r = await fetch(`${cloud.url('image')}${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json', accept: 'application/json' },
        ...(body !== undefined ? { body: raw ? String(body) : JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Glance's 400 for a body its schema refuses. */
export const schemaFault = (schema: string, reason: string) => ({
  status: 400,
  body: {
    code: '400 Bad Request',
    title: 'Bad Request',
    message: `Provided object does not match schema '${schema}': ${reason}`,
  },
});
