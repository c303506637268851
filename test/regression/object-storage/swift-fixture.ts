import { identityService } from '@nimbus/identity';
import { objectStorageService } from '@nimbus/object-storage';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';

/** How long any one request (and its body) may take before the test counts it as a hang. */
export const ANSWER_WITHIN_MS = 5_000;

/** A test cloud with identity and object storage, an admin token and its account. */
export interface SwiftFixture {
  cloud: TestCloud;
  /** The account's name (`AUTH_<project>`). */
  accountName: string;
  /** The account's URL path (`/v1/AUTH_<project>`), as links and locations name it. */
  accountPath: string;
  /**
   * Sends a request to `<account><path>` as the admin; it (body included) fails with a
   * TimeoutError when the cloud does not answer within `ANSWER_WITHIN_MS`.
   */
  call(
    method: string,
    path: string,
    headers?: Record<string, string>,
    body?: string | Buffer,
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts one cloud for a test file and creates container `c` in the admin's account. */
export async function startSwift(): Promise<SwiftFixture> {
  const cloud = await startTestCloud([identityService, objectStorageService], {
    identity: { password_hash_rounds: 4 },
    object_storage: { part_power: 6 },
  });
  const { token, projectId } = await adminToken(cloud);
  const accountName = `AUTH_${projectId}`;
  const accountPath = `/v1/${accountName}`;
  const base = cloud.url('object-store');
  const call: SwiftFixture['call'] = (method, path, headers = {}, body) =>
    fetch(`${base}${accountPath}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
  const created = await call('PUT', '/c');
  if (created.status !== 201) throw new Error(`container PUT answered ${created.status}`);
  return { cloud, accountName, accountPath, call, stop: () => cloud.stop() };
}

/** What reading a body to its end gave: every byte received, and how the read ended. */
export interface BodyOutcome {
  bytes: Buffer;
  /** undefined when the body ended normally; else the error's name (a cut connection, a timeout). */
  error?: string;
}

/** Reads a response body to its end, keeping the bytes that came before any failure. */
export async function readOutcome(res: Response): Promise<BodyOutcome> {
  const chunks: Buffer[] = [];
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks) };
      chunks.push(Buffer.from(value));
    }
  } catch (err) {
    return { bytes: Buffer.concat(chunks), error: (err as Error).name };
  }
}
