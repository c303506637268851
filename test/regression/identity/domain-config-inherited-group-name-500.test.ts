import { identityService } from '@nimbus/identity';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by the long fuzz run (bench/fuzz.ts, 1,000,000 requests): the domain-config defaults were
// looked up in a plain object, so a group named `constructor` found Object's constructor and
// the request answered 500. Such a name is an unsupported group like any other.
describe('domain configuration with group or option names that objects inherit', () => {
  let cloud: TestCloud;
  let token: string;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
    token = (await adminToken(cloud)).token;
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  const get = (path: string) =>
    fetch(`${cloud.url('identity')}/v3/domains/${path}`, {
      headers: { 'x-auth-token': token },
      signal: AbortSignal.timeout(5000),
    });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'answers %s as an unsupported name',
    async (name) => {
      const unknown = await get('config/nosuchgroup/default');
      for (const path of [
        `config/${name}/default`,
        `config/${name}/x/default`,
        `config/ldap/${name}/default`,
      ]) {
        const r = await get(path);
        expect(r.status, path).toBe(unknown.status);
        expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/not supported/);
      }
      expect(unknown.status).toBeLessThan(500);
    },
  );
});
