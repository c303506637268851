import { identityService } from '@nimbus/identity';
import { adminToken, startTestCloud, type TestCloud } from '@nimbus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Found by the hostile-input sweep (E1): a password over 4,096 characters on user create, update
// or self-service change answered 500, since the hasher's length error was no typed fault.
// Keystone measures a password in UTF-8 bytes against max_password_length, lowered to bcrypt's
// 72 bytes; it truncates by default and answers 403 PasswordVerificationError when
// [DEFAULT] strict_password_check is set.

const LONG = '0'.repeat(4097);

interface Answer {
  status: number;
  body: any;
}

async function call(
  cloud: TestCloud,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<Answer> {
  const r = await fetch(`${cloud.url('identity')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

const login = (cloud: TestCloud, userId: string, password: string) =>
  call(cloud, 'POST', '/v3/auth/tokens', {
    auth: { identity: { methods: ['password'], password: { user: { id: userId, password } } } },
  });

describe('passwords longer than max_password_length (default: truncated)', () => {
  let cloud: TestCloud;
  let admin: string;
  beforeAll(async () => {
    cloud = await startTestCloud([identityService], { identity: { password_hash_rounds: 4 } });
    admin = (await adminToken(cloud)).token;
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates the user (201) and the same long password then logs in', async () => {
    const created = await call(
      cloud,
      'POST',
      '/v3/users',
      { user: { name: 'pwlong', password: LONG } },
      admin,
    );
    expect(created.status).toBe(201);
    expect((await login(cloud, created.body.user.id, LONG)).status).toBe(201);
    expect((await login(cloud, created.body.user.id, 'wrong')).status).toBe(401);
  });

  it('updates the password (200) and the self-service change takes long old and new ones (204)', async () => {
    const id = (
      await call(cloud, 'POST', '/v3/users', { user: { name: 'pwlong2', password: 'short-1' } }, admin)
    ).body.user.id;
    const patched = await call(cloud, 'PATCH', `/v3/users/${id}`, { user: { password: LONG } }, admin);
    expect(patched.status).toBe(200);
    const newer = `${'é'.repeat(2100)}x`;
    const changed = await call(cloud, 'POST', `/v3/users/${id}/password`, {
      user: { original_password: LONG, password: newer },
    });
    expect(changed.status).toBe(204);
    expect((await login(cloud, id, newer)).status).toBe(201);
  });
});

describe('passwords longer than max_password_length with strict_password_check', () => {
  let cloud: TestCloud;
  let admin: string;
  const refused = {
    error: {
      code: 403,
      title: 'Forbidden',
      message:
        'The password length must be less than or equal to 72. The server could not comply with the request because the password is invalid.',
    },
  };
  beforeAll(async () => {
    cloud = await startTestCloud([identityService], {
      identity: { password_hash_rounds: 4 },
      DEFAULT: { strict_password_check: true },
    });
    admin = (await adminToken(cloud)).token;
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('refuses a long password on create with 403 PasswordVerificationError', async () => {
    const r = await call(cloud, 'POST', '/v3/users', { user: { name: 'pwlong', password: LONG } }, admin);
    expect(r).toEqual({ status: 403, body: refused });
  });

  it('counts UTF-8 bytes, not characters: 37 × é (74 bytes) is too long', async () => {
    const r = await call(
      cloud,
      'POST',
      '/v3/users',
      { user: { name: 'pw-e', password: 'é'.repeat(37) } },
      admin,
    );
    expect(r).toEqual({ status: 403, body: refused });
    const ok = await call(
      cloud,
      'POST',
      '/v3/users',
      { user: { name: 'pw-e', password: 'é'.repeat(36) } },
      admin,
    );
    expect(ok.status).toBe(201);
  });

  it('refuses a long password on update and on the self-service change (old or new)', async () => {
    const id = (await call(cloud, 'POST', '/v3/users', { user: { name: 'pw3', password: 'short-1' } }, admin))
      .body.user.id;
    expect(await call(cloud, 'PATCH', `/v3/users/${id}`, { user: { password: LONG } }, admin)).toEqual({
      status: 403,
      body: refused,
    });
    const newTooLong = await call(cloud, 'POST', `/v3/users/${id}/password`, {
      user: { original_password: 'short-1', password: LONG },
    });
    expect(newTooLong).toEqual({ status: 403, body: refused });
    const oldTooLong = await call(cloud, 'POST', `/v3/users/${id}/password`, {
      user: { original_password: LONG, password: 'short-2' },
    });
    expect(oldTooLong).toEqual({ status: 403, body: refused });
    expect((await login(cloud, id, 'short-1')).status).toBe(201);
    expect(await login(cloud, id, LONG)).toEqual({ status: 403, body: refused });
  });

  it('still answers 401 to an unknown user, whatever the password length', async () => {
    expect((await login(cloud, 'no-such-user', LONG)).status).toBe(401);
  });
});
