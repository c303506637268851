import { describe, expect, it } from 'vitest';
import { createBus } from './create-bus';
import { busBehaviourSuite } from './testing/bus-behaviour-suite';

busBehaviourSuite('the in-process transport', (options) =>
  createBus(`memory://suite-${process.pid}`, options),
);

describe('in-process transport specifics', () => {
  it('hands bodies over without copying them by default', async () => {
    const bus = await createBus(`memory://zero-copy-${process.pid}`, { logger: undefined });
    const args = { when: new Date(0), list: [1] };
    let seen: unknown;
    await bus.rpcServer({ topic: 't', server: 's' }, { take: async (_c, a) => (seen = a) });
    const result = await bus.rpcClient({ topic: 't' }).call({}, 'take', args);
    expect(seen).toBe(args);
    expect(result).toBe(args);
    await bus.close();
  });

  it('copies through JSON when asked, as AMQP would', async () => {
    const bus = await createBus(`memory://copy-${process.pid}`, { copyMessages: true });
    let seen: any;
    await bus.rpcServer(
      { topic: 't', server: 's' },
      { take: async (_c, a) => (seen = a), big: async () => 10n },
    );
    const args = { when: new Date(0) };
    await bus.rpcClient({ topic: 't' }).call({}, 'take', args);
    expect(seen).not.toBe(args);
    expect(seen.when).toBe('1970-01-01T00:00:00.000Z');
    await expect(bus.rpcClient({ topic: 't' }).call({}, 'big')).rejects.toMatchObject({
      code: 'BUS_UNSERIALIZABLE',
    });
    await bus.close();
  });

  it('keeps buses on different broker names apart', async () => {
    const a = await createBus(`memory://apart-a-${process.pid}`);
    const b = await createBus(`memory://apart-b-${process.pid}`);
    await a.rpcServer({ topic: 't', server: 's' }, { who: async () => 'a' });
    await expect(b.rpcClient({ topic: 't' }, { timeoutSeconds: 0.05 }).call({}, 'who')).rejects.toMatchObject(
      {
        code: 'BUS_CALL_TIMEOUT',
      },
    );
    expect(await a.rpcClient({ topic: 't' }).call({}, 'who')).toBe('a');
    expect(a.url).toBe(`memory://apart-a-${process.pid}`);
    const dflt = await createBus();
    expect(dflt.url).toBe('memory://');
    await dflt.close();
    await Promise.all([a.close(), b.close()]);
  });
});
