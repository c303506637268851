import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftFixture, startSwift } from './swift-fixture';

// Finding (minor): with X-History-Location (or X-Versions-Location) naming a container that does
// not exist, overwriting an object answered 201 and the previous version was gone for good.
// Swift refuses the overwrite with 412 when the version cannot be archived, keeping the data.
describe('versioned writes into a missing archive container', () => {
  let swift: SwiftFixture;
  beforeAll(async () => {
    swift = await startSwift();
  }, 120_000);
  afterAll(async () => {
    await swift?.stop();
  });

  it.each(['x-history-location', 'x-versions-location'])(
    'refuses the overwrite with 412 (%s)',
    async (header) => {
      const container = `/kept-${header.split('-')[1]}`;
      expect((await swift.call('PUT', container, { [header]: 'no-such-archive' })).status).toBe(201);
      expect((await swift.call('PUT', `${container}/o`, {}, 'first')).status).toBe(201);
      expect((await swift.call('PUT', `${container}/o`, {}, 'second')).status).toBe(412);
      expect(await (await swift.call('GET', `${container}/o`)).text()).toBe('first');
    },
  );

  it('archives into the container itself when the location names it, keeping every version', async () => {
    expect((await swift.call('PUT', '/self', { 'x-versions-location': 'self' })).status).toBe(201);
    expect((await swift.call('PUT', '/self/o', {}, 'v1')).status).toBe(201);
    expect((await swift.call('PUT', '/self/o', {}, 'v2')).status).toBe(201);
    const names = ((await (await swift.call('GET', '/self?format=json')).json()) as { name: string }[]).map(
      (o) => o.name,
    );
    expect(names).toContain('o');
    expect(names.filter((n) => n.startsWith('001o/'))).toHaveLength(1);
    expect(await (await swift.call('DELETE', '/self/o')).status).toBe(204);
    expect(await (await swift.call('GET', '/self/o')).text()).toBe('v1');
  });
});
