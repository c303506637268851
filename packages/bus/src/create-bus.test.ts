import { describe, expect, it } from 'vitest';
import { createBus, redactUrl } from './create-bus';
import { eventTypeMatcher } from './notification-listener';
import { pythonUtcTimestamp } from './notifier';

describe('createBus', () => {
  it('refuses URLs it cannot serve, and several brokers in one URL', async () => {
    await expect(createBus('kafka://host:9092')).rejects.toMatchObject({ code: 'BUS_INVALID_URL' });
    const err = await createBus('rabbit://u:pw@h1:5672,u:pw@h2:5672/').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BUS_INVALID_URL' });
    expect((err as Error).message).toContain('rabbit://u:***@h1:5672,u:***@h2:5672/');
  });

  it('checks names and timeouts when a client or server is made', async () => {
    await expect(createBus('memory://checks', { defaultTimeoutSeconds: 0 })).rejects.toMatchObject({
      code: 'BUS_INVALID_TIMEOUT',
    });
    const bus = await createBus('memory://checks');
    expect(() => bus.rpcClient({ topic: 'a.*' })).toThrow(
      expect.objectContaining({ code: 'BUS_INVALID_TARGET' }),
    );
    expect(() => bus.rpcClient({ topic: '' })).toThrow(
      expect.objectContaining({ code: 'BUS_INVALID_TARGET' }),
    );
    expect(() => bus.rpcClient({ topic: 't', server: 'a b' })).toThrow(
      expect.objectContaining({ code: 'BUS_INVALID_TARGET' }),
    );
    expect(() => bus.rpcClient({ topic: 't' }, { timeoutSeconds: -1 })).toThrow(
      expect.objectContaining({ code: 'BUS_INVALID_TIMEOUT' }),
    );
    await expect(bus.rpcServer({ topic: 't', server: '#' }, {})).rejects.toMatchObject({
      code: 'BUS_INVALID_TARGET',
    });
    await expect(bus.rpcServer({ topic: 't', server: 's' }, {}, { concurrency: 0 })).rejects.toMatchObject({
      code: 'BUS_INVALID_OPTION',
    });
    await expect(bus.notificationListener({ priorities: ['loud' as never] }, () => {})).rejects.toMatchObject(
      {
        code: 'BUS_INVALID_OPTION',
      },
    );
    await bus.close();
  });

  it('redacts passwords', () => {
    expect(redactUrl('amqp://guest:guest@127.0.0.1:5672/')).toBe('amqp://guest:***@127.0.0.1:5672/');
    expect(redactUrl('amqp://127.0.0.1')).toBe('amqp://127.0.0.1');
    expect(redactUrl('amqps://svc:p%40ss@mq.example:5671/nimbus?heartbeat=30')).toBe(
      'amqps://svc:***@mq.example:5671/nimbus?heartbeat=30',
    );
  });
});

describe('event type globs', () => {
  it('match whole event types, * across dots, ? one character, other characters literally', () => {
    const m = eventTypeMatcher(['compute.instance.*', 'volume.?.end', 'a+b']);
    expect(m('compute.instance.create.end')).toBe(true);
    expect(m('compute.instance.')).toBe(true);
    expect(m('compute.instance')).toBe(false);
    expect(m('xcompute.instance.create')).toBe(false);
    expect(m('volume.x.end')).toBe(true);
    expect(m('volume.xy.end')).toBe(false);
    expect(m('a+b')).toBe(true);
    expect(m('aab')).toBe(false);
    expect(eventTypeMatcher(undefined)('anything')).toBe(true);
    expect(eventTypeMatcher([])('anything')).toBe(true);
  });
});

describe('notification timestamps', () => {
  it("are written as Python prints a UTC datetime, as oslo's notifier does", () => {
    expect(pythonUtcTimestamp(new Date('2024-05-01T10:11:12.345Z'))).toBe('2024-05-01 10:11:12.345000');
  });
});
