import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// A container whose X-Versions-Location held a bad escape (`%zz`) made every object PUT in it a 500
// (URIError while decoding the location).
describe('X-Versions-Location that is not a plain container name', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 60_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it('never turns object writes into 500s', async () => {
    expect((await swift.call('PUT', '/v', { 'x-versions-location': '%zz' })).status).toBe(201);
    expect((await swift.call('PUT', '/v/o', {}, 'one')).status).toBe(201);
    // No container `%zz` exists to keep the first version in: refused, as Swift does, not lost.
    expect((await swift.call('PUT', '/v/o', {}, 'two')).status).toBe(412);
    expect(await (await swift.call('GET', '/v/o')).text()).toBe('one');
    expect((await swift.call('DELETE', '/v/o')).status).toBe(204);
  });

  it('is refused with 412 when it holds a slash, as upstream', async () => {
    const put = await swift.call('PUT', '/w', { 'x-versions-location': 'a/b' });
    expect(put.status).toBe(412);
    expect(await put.text()).toBe('Container name cannot contain slashes');
  });
});
