import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// E5: COPY with an empty Destination-Account crashed with a TypeError (500).
describe('a copy naming an empty or malformed account', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
    expect((await swift.call('PUT', '/c/o', {}, 'x')).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('answers 412 as upstream', async () => {
    const empty = await swift.call('COPY', '/c/o', { destination: 'c/o2', 'destination-account': '' });
    expect(empty.status).toBe(412);
    expect(await empty.text()).toBe('Account name cannot be empty');
    const slash = await swift.call('COPY', '/c/o', { destination: 'c/o2', 'destination-account': 'a/b' });
    expect(slash.status).toBe(412);
    expect(await slash.text()).toBe('Account name cannot contain slashes');
    const fromEmpty = await swift.call('PUT', '/c/o3', {
      'x-copy-from': 'c/o',
      'x-copy-from-account': '',
      'content-length': '0',
    });
    expect(fromEmpty.status).toBe(412);
    expect(await fromEmpty.text()).toBe('Account name cannot be empty');
    expect((await swift.call('HEAD', '/c/o2')).status).toBe(404);
  });

  it('still copies within and into the named account', async () => {
    const same = await swift.call('COPY', '/c/o', {
      destination: 'c/o2',
      'destination-account': swift.accountName,
    });
    expect(same.status).toBe(201);
    expect(await (await swift.call('GET', '/c/o2')).text()).toBe('x');
  });
});
