import { type NimbusError, ServiceUnavailableError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../notifier';
import type { RpcContext } from '../rpc-context';
import { ctx, type SuiteHarness, uid } from './suite-harness';
import { gate, sleep, waitFor } from './wait-for';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Notifications (envelope, priorities, pools, filters, early messages) and closing a bus. */
export function notificationAndCloseBehaviour(h: SuiteHarness): void {
  const { bus } = h;
  describe('notifications', () => {
    type Got = { ctx: RpcContext; n: Notification };
    const collect = (into: Got[]) => (c: RpcContext, n: Notification) => {
      into.push({ ctx: c, n });
    };

    it('carry oslo’s envelope and the context, routed by priority', async () => {
      const topic = `n${uid()}`;
      const all: Got[] = [];
      const errorsOnly: Got[] = [];
      const listening = await bus();
      await listening.notificationListener({ topics: [topic] }, collect(all));
      await listening.notificationListener(
        { topics: [topic], pool: `${topic}-errors`, priorities: ['error'] },
        collect(errorsOnly),
      );
      const notifier = (await bus()).notifier('compute.node7', { topics: [topic] });
      const before = Date.now();
      await notifier.info(ctx, 'compute.instance.create.end', { instance_id: 'i1' });
      await notifier.warn(ctx, 'compute.instance.power_off.warn', { instance_id: 'i1' });
      await notifier.error(ctx, 'compute.instance.create.error', {
        instance_id: 'i1',
        reason: 'No valid host',
      });
      await waitFor(() => all.length >= 3 && errorsOnly.length >= 1, 'three notifications');
      await sleep(50);
      const byType = Object.fromEntries(all.map((g) => [g.n.event_type, g]));
      const info = byType['compute.instance.create.end']!;
      expect(info.ctx).toEqual(ctx);
      expect(info.n).toMatchObject({
        publisher_id: 'compute.node7',
        event_type: 'compute.instance.create.end',
        priority: 'INFO',
        payload: { instance_id: 'i1' },
      });
      expect(info.n.message_id).toMatch(UUID);
      expect(info.n.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
      expect(
        Math.abs(Date.parse(`${info.n.timestamp.slice(0, 23).replace(' ', 'T')}Z`) - before),
      ).toBeLessThan(5000);
      expect(byType['compute.instance.power_off.warn']!.n.priority).toBe('WARN');
      expect(byType['compute.instance.create.error']!.n.priority).toBe('ERROR');
      expect(new Set(all.map((g) => g.n.message_id)).size).toBe(3);
      expect(errorsOnly.map((g) => g.n.event_type)).toEqual(['compute.instance.create.error']);
    });

    it('listeners of one pool share the notifications; every pool gets all of them', async () => {
      const topic = `n${uid()}`;
      const a1: Got[] = [];
      const a2: Got[] = [];
      const b: Got[] = [];
      const dflt: Got[] = [];
      await (await bus()).notificationListener({ topics: [topic], pool: `${topic}-a` }, collect(a1));
      await (await bus()).notificationListener({ topics: [topic], pool: `${topic}-a` }, collect(a2));
      await (await bus()).notificationListener({ topics: [topic], pool: `${topic}-b` }, collect(b));
      await (await bus()).notificationListener({ topics: [topic] }, collect(dflt));
      const notifier = (await bus()).notifier('image.api', { topics: [topic] });
      for (let i = 0; i < 20; i++) await notifier.info(ctx, 'image.update', { i });
      await waitFor(
        () => a1.length + a2.length >= 20 && b.length >= 20 && dflt.length >= 20,
        'every pool served',
      );
      await sleep(50);
      expect(a1.length + a2.length).toBe(20);
      expect(a1.length).toBeGreaterThan(0);
      expect(a2.length).toBeGreaterThan(0);
      expect(new Set([...a1, ...a2].map((g) => g.n.message_id)).size).toBe(20);
      expect(b.map((g) => (g.n.payload as { i: number }).i)).toEqual([...Array(20).keys()]);
      expect(dflt.length).toBe(20);
    });

    it('filters event types with glob patterns', async () => {
      const topic = `n${uid()}`;
      const got: Got[] = [];
      await (await bus()).notificationListener(
        { topics: [topic], eventTypes: ['compute.instance.*', 'volume.create.?nd', 'marker'] },
        collect(got),
      );
      const notifier = (await bus()).notifier('x', { topics: [topic] });
      for (const t of [
        'compute.instance.create.end',
        'compute.instance',
        'network.port.create.end',
        'volume.create.end',
        'volume.create.xend',
        'marker',
      ]) {
        await notifier.info(ctx, t, {});
      }
      await waitFor(() => got.some((g) => g.n.event_type === 'marker'), 'the marker');
      expect(got.map((g) => g.n.event_type)).toEqual([
        'compute.instance.create.end',
        'volume.create.end',
        'marker',
      ]);
    });

    it('keeps notifications sent before a default-pool listener starts', async () => {
      const topic = `n${uid()}`;
      const notifier = (await bus()).notifier('early', { topics: [topic] });
      await notifier.info(ctx, 'early.one', {});
      await notifier.info(ctx, 'early.two', {});
      const got: Got[] = [];
      await (await bus()).notificationListener({ topics: [topic] }, collect(got));
      await waitFor(() => got.length >= 2, 'two early notifications');
      expect(got.map((g) => g.n.event_type)).toEqual(['early.one', 'early.two']);
    });

    it('a failing handler is logged and the listener carries on', async () => {
      const topic = `n${uid()}`;
      const got: string[] = [];
      await (await bus()).notificationListener({ topics: [topic] }, (_c, n) => {
        if (n.event_type === 'bad') throw new Error('handler bug');
        got.push(n.event_type);
      });
      const notifier = (await bus()).notifier('x', { topics: [topic] });
      await notifier.info(ctx, 'bad', {});
      await notifier.info(ctx, 'good', {});
      await waitFor(() => got.length >= 1, 'the good one');
      expect(got).toEqual(['good']);
      expect(h.log().entries.some((e) => e.msg === 'notification handler failed')).toBe(true);
    });
  });

  describe('close', () => {
    it('fails waiting calls at once, refuses new work and leaves no timer behind', async () => {
      const topic = `t${uid()}`;
      const held = gate();
      await (await bus()).rpcServer({ topic, server: 's1' }, { hold: () => held.promise });
      const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const client = await h.open({ logger: h.log() });
      const pending = client.rpcClient({ topic }).call(ctx, 'hold', {}, { timeoutSeconds: 30 });
      const outcome = pending.catch((e: unknown) => e);
      await sleep(30);
      const started = Date.now();
      await client.close();
      const err = await outcome;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as NimbusError).code).toBe('BUS_CLOSED');
      await expect(client.rpcClient({ topic }).call(ctx, 'hold')).rejects.toMatchObject({
        code: 'BUS_CLOSED',
      });
      await expect(client.rpcClient({ topic }).cast(ctx, 'hold')).rejects.toMatchObject({
        code: 'BUS_CLOSED',
      });
      await expect(client.notifier('x').info(ctx, 'e', {})).rejects.toMatchObject({ code: 'BUS_CLOSED' });
      await expect(client.rpcServer({ topic, server: 's9' }, {})).rejects.toMatchObject({
        code: 'BUS_CLOSED',
      });
      expect(client.health().connected).toBe(false);
      await client.close();
      const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      expect(timersAfter).toBeLessThanOrEqual(timersBefore);
      held.open();
    });

    it('waits for running handlers before it resolves', async () => {
      const topic = `t${uid()}`;
      const server = await h.open({ logger: h.log() });
      let started = false;
      let finished = false;
      await server.rpcServer(
        { topic, server: 's1' },
        {
          work: async () => {
            started = true;
            await sleep(100);
            finished = true;
          },
        },
      );
      await (await bus()).rpcClient({ topic }).cast(ctx, 'work');
      await waitFor(() => started, 'the handler to start');
      await server.close();
      expect(finished).toBe(true);
    });
  });
}
