import { ConflictError, InternalError, NimbusError, NotFoundError, TimeoutError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import type { RpcContext } from '../rpc-context';
import { ctx, type SuiteHarness, uid } from './suite-harness';
import { gate, sleep, waitFor } from './wait-for';

class FlavorNotFound extends NotFoundError {
  override readonly code = 'COMPUTE_FLAVOR_NOT_FOUND';
  constructor(readonly flavorId: string) {
    super(`Flavor ${flavorId} could not be found.`);
  }
}

/** RPC: call, cast, round-robin, direct servers, fanout, concurrency, timeouts and remote errors. */
export function rpcBehaviour(h: SuiteHarness): void {
  const { bus } = h;
  describe('RPC', () => {
    it('call returns the endpoint result and carries the context as plain JSON', async () => {
      const topic = `t${uid()}`;
      const seen: RpcContext[] = [];
      await (await bus()).rpcServer(
        { topic, server: 's1' },
        {
          echo: async (c: RpcContext, args: unknown) => {
            seen.push(c);
            return { got: args, by: 's1' };
          },
        },
      );
      const client = (await bus()).rpcClient({ topic });
      const result = await client.call(ctx, 'echo', { a: 1, nested: { b: [1, 2], s: 'x' } });
      expect(result).toEqual({ got: { a: 1, nested: { b: [1, 2], s: 'x' } }, by: 's1' });
      expect(seen).toEqual([ctx]);
      expect(await client.call(ctx, 'echo')).toEqual({ got: {}, by: 's1' });
    });

    it('cast resolves and runs the method exactly once per message', async () => {
      const topic = `t${uid()}`;
      const got: number[] = [];
      await (await bus()).rpcServer(
        { topic, server: 's1' },
        { record: (_c: RpcContext, a: { n: number }) => got.push(a.n) },
      );
      const client = (await bus()).rpcClient({ topic });
      await Promise.all([1, 2, 3, 4, 5].map((n) => client.cast(ctx, 'record', { n })));
      await waitFor(() => got.length >= 5, 'five casts');
      await sleep(50);
      expect(got.sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('the servers of a topic take turns on its shared queue', async () => {
      const topic = `t${uid()}`;
      for (const server of ['s1', 's2', 's3']) {
        await (await bus()).rpcServer({ topic, server }, { who: async () => server });
      }
      const client = (await bus()).rpcClient({ topic });
      const counts: Record<string, number> = {};
      for (let i = 0; i < 30; i++) {
        const s = await client.call<string>(ctx, 'who');
        counts[s] = (counts[s] ?? 0) + 1;
      }
      expect(Object.keys(counts).sort()).toEqual(['s1', 's2', 's3']);
      for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(5);
    });

    it('a client prepared for one server reaches that server only', async () => {
      const topic = `t${uid()}`;
      const casts: string[] = [];
      for (const server of ['s1', 's2', 's3']) {
        await (await bus()).rpcServer(
          { topic, server },
          { who: async () => server, mark: (_c: RpcContext) => casts.push(server) },
        );
      }
      const client = (await bus()).rpcClient({ topic });
      const s2 = client.prepare({ server: 's2' });
      expect(s2.target).toEqual({ topic, server: 's2' });
      expect(client.target).toEqual({ topic });
      for (let i = 0; i < 9; i++) expect(await s2.call(ctx, 'who')).toBe('s2');
      await client.prepare({ server: 's3' }).cast(ctx, 'mark');
      await client.prepare({ server: 's3' }).cast(ctx, 'mark');
      await waitFor(() => casts.length >= 2, 'two direct casts');
      await sleep(50);
      expect(casts).toEqual(['s3', 's3']);
    });

    it('a fanout cast reaches every server of the topic once, and no other topic', async () => {
      const topic = `t${uid()}`;
      const other = `t${uid()}`;
      const hits: string[] = [];
      for (const server of ['s1', 's2', 's3']) {
        await (await bus()).rpcServer(
          { topic, server },
          { hit: (_c: RpcContext, a: { n: number }) => hits.push(`${server}:${a.n}`) },
        );
      }
      await (await bus()).rpcServer({ topic: other, server: 's1' }, { hit: () => hits.push('other') });
      const client = (await bus()).rpcClient({ topic }).prepare({ fanout: true });
      await client.cast(ctx, 'hit', { n: 1 });
      await waitFor(() => hits.length >= 3, 'three fanout deliveries');
      await sleep(50);
      expect(hits.sort()).toEqual(['s1:1', 's2:1', 's3:1']);
    });

    it('refuses a call to a fanout target', async () => {
      const client = (await bus()).rpcClient({ topic: `t${uid()}`, fanout: true });
      const err = await client.call(ctx, 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InternalError);
      expect((err as NimbusError).code).toBe('BUS_INVALID_TARGET');
    });

    it('runs at most `concurrency` requests of a server at once', async () => {
      const topic = `t${uid()}`;
      let now = 0;
      let peak = 0;
      const slow = async () => {
        peak = Math.max(peak, ++now);
        await sleep(80);
        now--;
      };
      await (await bus()).rpcServer({ topic, server: 's1' }, { slow }, { concurrency: 2 });
      const client = (await bus()).rpcClient({ topic });
      await Promise.all([1, 2, 3, 4, 5, 6].map(() => client.call(ctx, 'slow')));
      expect(peak).toBe(2);

      // Without a limit given, six requests run together (each waits for the others).
      const wide = `t${uid()}`;
      peak = 0;
      const together = async () => {
        peak = Math.max(peak, ++now);
        await waitFor(() => now >= 6, 'six requests at once', 3000).catch(() => undefined);
        await sleep(5);
        now--;
      };
      await (await bus()).rpcServer({ topic: wide, server: 's1' }, { together });
      const c2 = (await bus()).rpcClient({ topic: wide });
      await Promise.all([1, 2, 3, 4, 5, 6].map(() => c2.call(ctx, 'together')));
      expect(peak).toBe(6);
    });

    it('a stopped server takes no more requests; the others carry on', async () => {
      const topic = `t${uid()}`;
      const s1 = await (await bus()).rpcServer({ topic, server: 's1' }, { who: async () => 's1' });
      await (await bus()).rpcServer({ topic, server: 's2' }, { who: async () => 's2' });
      await s1.stop();
      await s1.stop();
      const client = (await bus()).rpcClient({ topic });
      for (let i = 0; i < 6; i++) expect(await client.call(ctx, 'who')).toBe('s2');
    });
  });

  describe('timeouts', () => {
    it('a call nobody answers fails with TimeoutError after its timeout', async () => {
      const client = (await bus()).rpcClient({ topic: `t${uid()}` }, { timeoutSeconds: 0.2 });
      const started = Date.now();
      const err = await client.call(ctx, 'anything').catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as NimbusError).code).toBe('BUS_CALL_TIMEOUT');
      expect((err as Error).message).toMatch(/Timed out waiting for a reply to message ID .* after 0.2 s/);
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(2000);
    });

    it('the timeout comes from the call, else the client, else the bus (60 s by default)', async () => {
      const b = await bus({ defaultTimeoutSeconds: 0.15 });
      const client = b.rpcClient({ topic: `t${uid()}` });
      expect(client.timeoutSeconds).toBe(0.15);
      expect(client.prepare({ timeoutSeconds: 5 }).timeoutSeconds).toBe(5);
      expect((await bus()).rpcClient({ topic: 'x' }).timeoutSeconds).toBe(60);
      const started = Date.now();
      await expect(client.call(ctx, 'x')).rejects.toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(1000);
      const perCall = Date.now();
      await expect(
        client.prepare({ timeoutSeconds: 30 }).call(ctx, 'x', {}, { timeoutSeconds: 0.1 }),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(Date.now() - perCall).toBeLessThan(1000);
    });

    it('a slow endpoint times the caller out; its late reply is ignored', async () => {
      const topic = `t${uid()}`;
      await (await bus()).rpcServer(
        { topic, server: 's1' },
        {
          slow: async () => {
            await sleep(250);
            return 'late';
          },
          fast: async () => 'fast',
        },
      );
      const client = (await bus()).rpcClient({ topic });
      await expect(client.call(ctx, 'slow', {}, { timeoutSeconds: 0.1 })).rejects.toBeInstanceOf(
        TimeoutError,
      );
      await sleep(300);
      expect(await client.call(ctx, 'fast')).toBe('fast');
    });

    it('a request still queued when its caller gives up is never run', async () => {
      const topic = `t${uid()}`;
      const held = gate();
      const ran: string[] = [];
      await (await bus()).rpcServer(
        { topic, server: 's1' },
        {
          hold: async () => {
            await held.promise;
            return 'held';
          },
          record: async () => ran.push('record'),
        },
        { concurrency: 1 },
      );
      const client = (await bus()).rpcClient({ topic });
      const first = client.call(ctx, 'hold', {}, { timeoutSeconds: 10 });
      await sleep(30);
      await expect(client.call(ctx, 'record', {}, { timeoutSeconds: 0.15 })).rejects.toBeInstanceOf(
        TimeoutError,
      );
      // Over AMQP the request may wait in the server's prefetch, where its TTL counts from
      // receipt: leave room for a slow delivery.
      await sleep(200);
      held.open();
      expect(await first).toBe('held');
      await sleep(100);
      expect(ran).toEqual([]);
    });
  });

  describe('remote errors', () => {
    const endpoints = {
      flavor: async () => {
        throw new FlavorNotFound('f1');
      },
      conflict: async () => {
        throw new ConflictError('Instance is busy', {
          code: 'COMPUTE_INSTANCE_BUSY',
          detail: 'task_state spawning',
        });
      },
      bug: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      },
      thrownString: async () => {
        throw 'just a string';
      },
      ok: async () => 'ok',
    };

    it('a NimbusError comes back with its category, code, message and class name', async () => {
      const topic = `t${uid()}`;
      await (await bus()).rpcServer({ topic, server: 's1' }, endpoints);
      const client = (await bus()).rpcClient({ topic });
      const err = (await client.call(ctx, 'flavor').catch((e: unknown) => e)) as NimbusError;
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toBeInstanceOf(NimbusError);
      expect(err.category).toBe('not_found');
      expect(err.status).toBe(404);
      expect(err.code).toBe('COMPUTE_FLAVOR_NOT_FOUND');
      expect(err.message).toBe('Flavor f1 could not be found.');
      expect(err.name).toBe('FlavorNotFound');

      const conflict = (await client.call(ctx, 'conflict').catch((e: unknown) => e)) as NimbusError;
      expect(conflict).toBeInstanceOf(ConflictError);
      expect([conflict.code, conflict.message, conflict.detail]).toEqual([
        'COMPUTE_INSTANCE_BUSY',
        'Instance is busy',
        'task_state spawning',
      ]);
    });

    it('any other exception becomes an InternalError with the remote message', async () => {
      const topic = `t${uid()}`;
      await (await bus()).rpcServer({ topic, server: 's1' }, endpoints);
      const client = (await bus()).rpcClient({ topic });
      const bug = (await client.call(ctx, 'bug').catch((e: unknown) => e)) as NimbusError;
      expect(bug).toBeInstanceOf(InternalError);
      expect(bug.category).toBe('internal');
      expect(bug.message).toBe("Cannot read properties of undefined (reading 'id')");
      const str = (await client.call(ctx, 'thrownString').catch((e: unknown) => e)) as NimbusError;
      expect(str).toBeInstanceOf(InternalError);
      expect(str.message).toBe('just a string');
      expect(h.log().entries.some((e) => e.level === 'error' && e.msg === 'RPC endpoint failed')).toBe(true);
    });

    it('an unknown method answers the caller with an error and the server keeps serving', async () => {
      const topic = `t${uid()}`;
      await (await bus()).rpcServer({ topic, server: 's1' }, endpoints);
      const client = (await bus()).rpcClient({ topic });
      for (const method of ['nope', 'toString', 'constructor', '__proto__']) {
        const err = (await client.call(ctx, method).catch((e: unknown) => e)) as NimbusError;
        expect(err).toBeInstanceOf(InternalError);
        expect(err.code).toBe('BUS_NO_SUCH_METHOD');
        expect(err.message).toContain(method);
      }
      await client.cast(ctx, 'nope');
      await client.cast(ctx, 'bug');
      expect(await client.call(ctx, 'ok')).toBe('ok');
    });
  });
}
