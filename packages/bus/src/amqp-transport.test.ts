import { randomUUID } from 'node:crypto';
import { type NimbusError, ServiceUnavailableError } from '@nimbus/errors';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type BusOptions, createBus } from './create-bus';
import type { MessageBus } from './message-bus';
import { busBehaviourSuite } from './testing/bus-behaviour-suite';
import { deleteBusObjects, rabbitmqctl, TEST_AMQP_URL } from './testing/rabbitmq';
import { TcpProxy } from './testing/tcp-proxy';
import { collectingLogger, gate, sleep, waitFor } from './testing/wait-for';

// Every name this run creates on the broker starts with this exchange, so parallel runs never
// meet; all of them are deleted at the end (and queues expire a minute after their last use).
const exchange = `nimbus-test-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
const base: BusOptions = { exchange, queueExpirySeconds: 60 };
const fastReconnect: BusOptions = { reconnectInitialDelaySeconds: 0.05, reconnectMaxDelaySeconds: 0.3 };
const ctx = { requestId: 'req-amqp' };

/**
 * Opens a bus on the test broker. Without a broker every test fails (never skips) and says why:
 * vitest reports a failing `beforeAll` as skipped tests, so the check is made here, per test.
 */
async function openTestBus(url: string, options: BusOptions): Promise<MessageBus> {
  try {
    return await createBus(url, { ...base, connectTimeoutSeconds: 3, ...options });
  } catch (err) {
    throw new Error(
      `RabbitMQ is not reachable at ${TEST_AMQP_URL}: ${(err as Error).message}. ` +
        'Run `bash scripts/ensure-rabbitmq.sh`, or set NIMBUS_TEST_AMQP_URL.',
    );
  }
}

describe('over RabbitMQ', () => {
  afterAll(async () => {
    // Only when the broker is there: its absence already failed every test, with the reason.
    const reachable = await createBus(TEST_AMQP_URL, { ...base, connectTimeoutSeconds: 3 }).then(
      (b) => b.close().then(() => true),
      () => false,
    );
    if (reachable) await deleteBusObjects(TEST_AMQP_URL, exchange);
  });

  busBehaviourSuite('AMQP (RabbitMQ)', (options) => openTestBus(TEST_AMQP_URL, options ?? {}));

  describe('AMQP transport specifics', () => {
    const opened: MessageBus[] = [];
    const proxies: TcpProxy[] = [];
    const bus = async (url: string, options: BusOptions = {}) => {
      const b = await openTestBus(url, { logger: collectingLogger(), ...options });
      opened.push(b);
      return b;
    };
    const proxied = async () => {
      const broker = new URL(TEST_AMQP_URL);
      const proxy = await TcpProxy.start(broker.hostname, Number(broker.port || 5672));
      proxies.push(proxy);
      broker.port = String(proxy.port);
      return { proxy, url: broker.toString() };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((b) => b.close()));
      await Promise.all(proxies.splice(0).map((p) => p.close()));
    });

    it('an unreachable broker fails createBus at once, naming the URL but not the password', async () => {
      const err = (await createBus('amqp://guest:s3cret@127.0.0.1:1', base).catch(
        (e: unknown) => e,
      )) as NimbusError;
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(err.code).toBe('BUS_UNREACHABLE');
      expect(err.message).toContain('amqp://guest:***@127.0.0.1:1');
      expect(err.message).toContain('ensure-rabbitmq.sh');
      expect(err.message).not.toContain('s3cret');
    });

    it("accepts oslo's rabbit:// spelling and never shows the password", async () => {
      const b = await bus(TEST_AMQP_URL.replace(/^amqp:/, 'rabbit:'));
      expect(b.url).toMatch(/^amqp:\/\/guest:\*\*\*@/);
      expect(b.health()).toEqual({ transport: 'amqp', connected: true, reconnects: 0, bufferedMessages: 0 });
    });

    it('a result JSON cannot encode fails the call instead of timing it out', async () => {
      const b = await bus(TEST_AMQP_URL);
      await b.rpcServer({ topic: 'big', server: 's1' }, { big: async () => 10n });
      await expect(
        b.rpcClient({ topic: 'big' }, { timeoutSeconds: 5 }).call(ctx, 'big'),
      ).rejects.toMatchObject({
        code: 'BUS_UNSERIALIZABLE',
      });
      await expect(b.rpcClient({ topic: 'big' }).cast(ctx, 'big', { n: 1n })).rejects.toMatchObject({
        code: 'BUS_UNSERIALIZABLE',
      });
    });

    it('buffers casts while disconnected, sends them after reconnecting, fails loudly when full', async () => {
      const server = await bus(TEST_AMQP_URL);
      const got: number[] = [];
      await server.rpcServer(
        { topic: 'buffered', server: 's1' },
        { record: (_c, a: { n: number }) => got.push(a.n) },
      );
      const { proxy, url } = await proxied();
      const client = await bus(url, { ...fastReconnect, maxBufferedMessages: 3 });
      const rpc = client.rpcClient({ topic: 'buffered' });
      await rpc.cast(ctx, 'record', { n: 0 });

      proxy.cut();
      await waitFor(() => !client.health().connected, 'the client to notice');
      const sent = [1, 2, 3].map((n) => rpc.cast(ctx, 'record', { n }));
      expect(client.health().bufferedMessages).toBe(3);
      const refused = (await rpc.cast(ctx, 'record', { n: 4 }).catch((e: unknown) => e)) as NimbusError;
      expect(refused).toBeInstanceOf(ServiceUnavailableError);
      expect(refused.code).toBe('BUS_BUFFER_FULL');

      proxy.restore();
      await Promise.all(sent);
      await waitFor(() => got.length >= 4, 'the buffered casts');
      await sleep(50);
      expect(got.sort()).toEqual([0, 1, 2, 3]);
      expect(client.health()).toMatchObject({ connected: true, bufferedMessages: 0 });
      expect(client.health().reconnects).toBeGreaterThanOrEqual(1);
    });

    it('sends again a cast the broker never confirmed before the connection dropped', async () => {
      const server = await bus(TEST_AMQP_URL);
      const got: number[] = [];
      await server.rpcServer(
        { topic: 'unconfirmed', server: 's1' },
        { record: (_c, a: { n: number }) => got.push(a.n) },
      );
      const { proxy, url } = await proxied();
      const client = await bus(url, fastReconnect);
      const rpc = client.rpcClient({ topic: 'unconfirmed' });
      await rpc.cast(ctx, 'record', { n: 0 });

      proxy.blackhole();
      let settled = false;
      const lost = rpc.cast(ctx, 'record', { n: 1 }).finally(() => {
        settled = true;
      });
      await sleep(100);
      expect(settled).toBe(false);
      expect(got).toEqual([0]);
      proxy.cut();
      proxy.restore();
      await lost;
      await waitFor(() => got.length >= 2, 'the cast sent again');
      expect(got).toEqual([0, 1]);
    });

    it('servers and callers get their queues and consumers back after the connection drops', async () => {
      const { proxy, url } = await proxied();
      const server = await bus(url, fastReconnect);
      const client = await bus(url, fastReconnect);
      const fanned: string[] = [];
      await server.rpcServer(
        { topic: 'recover', server: 's1' },
        { who: async () => 's1', fan: (_c, a: { n: number }) => fanned.push(`s1:${a.n}`) },
      );
      const rpc = client.rpcClient({ topic: 'recover' }, { timeoutSeconds: 5 });
      expect(await rpc.call(ctx, 'who')).toBe('s1');

      proxy.cut();
      await waitFor(() => !client.health().connected && !server.health().connected, 'both to notice');
      // A call made while disconnected waits in the buffer and is answered after reconnection.
      const during = rpc.call(ctx, 'who');
      await sleep(100);
      proxy.restore();
      expect(await during).toBe('s1');
      await waitFor(() => client.health().connected && server.health().connected, 'both to reconnect');
      expect(await rpc.prepare({ server: 's1' }).call(ctx, 'who')).toBe('s1');
      await rpc.prepare({ fanout: true }).cast(ctx, 'fan', { n: 2 });
      await waitFor(() => fanned.length >= 1, 'the fanout after reconnection');
      expect(fanned).toEqual(['s1:2']);
    });

    it('delivers every acknowledged cast across a broker restart (stop_app, start_app)', async () => {
      const topic = `restart-${randomUUID().slice(0, 6)}`;
      const server = await bus(TEST_AMQP_URL, fastReconnect);
      const client = await bus(TEST_AMQP_URL, fastReconnect);
      const received = new Set<number>();
      let duplicates = 0;
      // The server takes one cast and holds it until the broker is back, so the casts confirmed
      // before the restart sit in the broker's queue when it stops: they must survive it.
      const held = gate();
      await server.rpcServer(
        { topic, server: 's1' },
        {
          record: async (_c, a: { n: number }) => {
            await held.promise;
            if (received.has(a.n)) duplicates++;
            received.add(a.n);
          },
        },
        { concurrency: 1 },
      );
      const rpc = client.rpcClient({ topic });
      const acknowledged: number[] = [];
      const failed: unknown[] = [];
      const pending: Promise<void>[] = [];
      let next = 0;
      let streaming = true;
      let bufferedAtPeak = 0;
      let confirmedBeforeStop = 0;
      const stream = (async () => {
        while (streaming) {
          const n = next++;
          pending.push(
            rpc.cast(ctx, 'record', { n }).then(
              () => void acknowledged.push(n),
              (e: unknown) => void failed.push(e),
            ),
          );
          bufferedAtPeak = Math.max(bufferedAtPeak, client.health().bufferedMessages);
          await sleep(2);
        }
      })();

      try {
        await sleep(300);
        confirmedBeforeStop = acknowledged.length;
        await rabbitmqctl('stop_app');
        await sleep(200);
      } finally {
        await rabbitmqctl('start_app');
        await rabbitmqctl('await_startup');
      }
      await waitFor(
        () => client.health().connected && server.health().connected,
        'both to reconnect',
        15_000,
      );
      held.open();
      await sleep(300);
      streaming = false;
      await stream;
      await Promise.all(pending);

      await waitFor(() => acknowledged.every((n) => received.has(n)), 'every acknowledged cast', 15_000);
      expect(failed).toEqual([]);
      expect(acknowledged.length).toBe(next);
      expect(next).toBeGreaterThan(200);
      expect(confirmedBeforeStop).toBeGreaterThan(50);
      expect(bufferedAtPeak).toBeGreaterThan(0);
      expect(client.health().reconnects).toBeGreaterThanOrEqual(1);
      expect(server.health().reconnects).toBeGreaterThanOrEqual(1);
      // At least once: a cast unconfirmed when the broker went away is sent again.
      expect(duplicates).toBeLessThan(next);
    });
  });
});
