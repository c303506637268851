import { describe, expect, it } from 'vitest';
import { cachingDirectory } from './caching-directory';
import { FakeAuthDirectory } from './testing/fake-auth-directory';

describe('cachingDirectory', () => {
  it('serves repeated reads from memory until the TTL or the generation moves', async () => {
    const inner = new FakeAuthDirectory();
    inner.addUser('alice', 'pw');
    let calls = 0;
    const user = inner.user.bind(inner);
    inner.user = async (id: string) => {
      calls++;
      return user(id);
    };
    let gen = 0;
    let t = 0;
    const d = cachingDirectory(
      inner,
      () => gen,
      1000,
      () => t,
    );
    await d.user('alice');
    await d.user('alice');
    expect(calls).toBe(1);
    t = 1500;
    await d.user('alice');
    expect(calls).toBe(2);
    inner.users.get('alice')!.enabled = false;
    gen++;
    expect((await d.user('alice'))?.enabled).toBe(false);
    expect(calls).toBe(3);
  });
});
