import { NimbusError, NotFoundError, TimeoutError } from '@nimbus/errors';
import { describe, expect, it } from 'vitest';
import type { RpcContext } from '../rpc-context';
import {
  RpcInvalidArgumentsError,
  RpcNoSuchMethodError,
  RpcTimeoutError,
  RpcUnsupportedVersionError,
  RpcVersionCapError,
} from '../rpc-errors';
import { defineRpcInterface, type RpcInterface } from '../rpc-interface';
import { Type } from '../rpc-schema';
import { serveRpcInterface } from '../serve-rpc-interface';
import { typedRpcClient } from '../typed-rpc-client';
import { ctx, type SuiteHarness, uid } from './suite-harness';
import { sleep, waitFor } from './wait-for';

class InstanceNotFound extends NotFoundError {
  override readonly code = 'COMPUTE_INSTANCE_NOT_FOUND';
  constructor(readonly instanceId: string) {
    super(`Instance ${instanceId} could not be found.`);
  }
}

/** A compute-like interface on a fresh topic, at `version` (methods appear as versions grow). */
function computeRpc(topic: string, version: string) {
  return defineRpcInterface({
    topic,
    version,
    errors: [InstanceNotFound],
    methods: {
      build_and_run_instance: {
        args: Type.Object({ instance_id: Type.String(), flavor: Type.Object({ ram_mb: Type.Integer() }) }),
        since: '1.0',
        mode: 'cast',
      },
      get_console_output: {
        args: Type.Object({ instance_id: Type.String(), lines: Type.Optional(Type.Integer({ minimum: 1 })) }),
        result: Type.Object({ output: Type.String(), by: Type.String() }),
        since: '1.0',
        mode: 'call',
      },
      whoami: { args: Type.Object({}), result: Type.Unknown(), since: '1.0', passToken: true },
      refresh_cache: { args: Type.Object({}), since: '1.0', mode: 'cast' },
      trigger_crash_dump: { args: Type.Object({ instance_id: Type.String() }), since: '1.3', mode: 'call' },
    },
  });
}

/** The same interface as an older release served it: version 1.2, without the 1.3 method. */
function olderComputeRpc(topic: string) {
  const { trigger_crash_dump: _new, ...older } = computeRpc(topic, '1.3').methods;
  return defineRpcInterface({ topic, version: '1.2', errors: [InstanceNotFound], methods: older });
}

/** Handlers of `computeRpc`, recording what they got. */
function handlers(server: string, log: { ctx: RpcContext; method: string; args: unknown }[]) {
  const record = (method: string) => (c: RpcContext, args: unknown) => {
    log.push({ ctx: c, method, args });
  };
  return {
    build_and_run_instance: record('build_and_run_instance'),
    get_console_output: (c: RpcContext, args: { instance_id: string; lines?: number }) => {
      log.push({ ctx: c, method: 'get_console_output', args });
      if (args.instance_id === 'gone') throw new InstanceNotFound('gone');
      return { output: `console of ${args.instance_id}`, by: server };
    },
    whoami: (c: RpcContext) => c,
    refresh_cache: record('refresh_cache'),
    trigger_crash_dump: record('trigger_crash_dump'),
  };
}

/** Typed RPC interfaces: schemas, version caps, typed remote errors, timeouts, context. */
export function typedRpcBehaviour(h: SuiteHarness): void {
  const { bus } = h;
  describe('typed RPC interfaces', () => {
    const serve = async (
      iface: RpcInterface<any>,
      server: string,
      log: { ctx: RpcContext; method: string; args: unknown }[],
    ) => serveRpcInterface(await bus(), iface, { server }, handlers(server, log) as never);

    it('calls, casts to one server and fans out, typed by the declaration', async () => {
      const iface = computeRpc(`c${uid()}`, '1.3');
      const log1: { ctx: RpcContext; method: string; args: unknown }[] = [];
      const log2: typeof log1 = [];
      await serve(iface, 'host1', log1);
      await serve(iface, 'host2', log2);
      const client = typedRpcClient(await bus(), iface);
      const out: { output: string; by: string } = await client.call.get_console_output(
        ctx,
        { instance_id: 'i1' },
        { server: 'host2' },
      );
      expect(out).toEqual({ output: 'console of i1', by: 'host2' });
      await client.cast.build_and_run_instance(
        ctx,
        { instance_id: 'i2', flavor: { ram_mb: 512 } },
        { server: 'host1' },
      );
      await client.fanout.refresh_cache(ctx, {});
      await waitFor(
        () => log1.length >= 2 && log2.filter((e) => e.method === 'refresh_cache').length >= 1,
        'cast and fanout',
      );
      expect(log1.map((e) => e.method).sort()).toEqual(['build_and_run_instance', 'refresh_cache']);
      expect(log1.find((e) => e.method === 'build_and_run_instance')!.args).toEqual({
        instance_id: 'i2',
        flavor: { ram_mb: 512 },
      });
      // Methods of the wrong mode are not on the client at all.
      expect((client.call as Record<string, unknown>)['build_and_run_instance']).toBeUndefined();
      expect((client.cast as Record<string, unknown>)['get_console_output']).toBeUndefined();
    });

    it('servers validate arguments and answer a typed error; the server carries on', async () => {
      const iface = computeRpc(`c${uid()}`, '1.3');
      const log: { ctx: RpcContext; method: string; args: unknown }[] = [];
      await serve(iface, 'host1', log);
      const client = typedRpcClient(await bus(), iface);
      const err = await client.call
        // @ts-expect-error the declaration types instance_id as a string: tsc proves the typing
        .get_console_output(ctx, { instance_id: 7, lines: 0 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcInvalidArgumentsError);
      expect((err as RpcInvalidArgumentsError).code).toBe('BUS_INVALID_ARGUMENTS');
      expect((err as RpcInvalidArgumentsError).problems.join(' ')).toMatch(/instance_id.*string/);
      expect(log).toEqual([]);
      expect(await client.call.get_console_output(ctx, { instance_id: 'ok' })).toMatchObject({
        output: 'console of ok',
      });
    });

    it('declared errors come back as their own class with their fields', async () => {
      const iface = computeRpc(`c${uid()}`, '1.3');
      await serve(iface, 'host1', []);
      const client = typedRpcClient(await bus(), iface);
      const err = await client.call.get_console_output(ctx, { instance_id: 'gone' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InstanceNotFound);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({
        instanceId: 'gone',
        code: 'COMPUTE_INSTANCE_NOT_FOUND',
        category: 'not_found',
        message: 'Instance gone could not be found.',
        name: 'InstanceNotFound',
      });
    });

    it('a client capped below a method refuses to send it; canSend says so first', async () => {
      const iface = computeRpc(`c${uid()}`, '1.3');
      const log: { ctx: RpcContext; method: string; args: unknown }[] = [];
      await serve(iface, 'host1', log);
      const capped = typedRpcClient(await bus(), iface, { versionCap: '1.2' });
      expect(capped.canSend('trigger_crash_dump')).toBe(false);
      expect(capped.canSend('get_console_output')).toBe(true);
      const err = await capped.call.trigger_crash_dump(ctx, { instance_id: 'i1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcVersionCapError);
      expect(err).toMatchObject({ code: 'BUS_VERSION_CAP', version: '1.3', versionCap: '1.2' });
      expect(await capped.call.get_console_output(ctx, { instance_id: 'i1' })).toMatchObject({ by: 'host1' });
      // The cap also comes from the bus's [upgrade_levels].
      const fromLevels = typedRpcClient(await bus({ upgradeLevels: { [iface.topic]: '1.1' } }), iface);
      expect(fromLevels.versionCap).toBe('1.1');
      await expect(fromLevels.call.trigger_crash_dump(ctx, { instance_id: 'i1' })).rejects.toBeInstanceOf(
        RpcVersionCapError,
      );
      expect(log.filter((e) => e.method === 'trigger_crash_dump')).toEqual([]);
    });

    it('an older server answers a newer message with UnsupportedVersion, and keeps serving', async () => {
      const topic = `c${uid()}`;
      const log: { ctx: RpcContext; method: string; args: unknown }[] = [];
      await serve(olderComputeRpc(topic), 'old', log);
      const client = typedRpcClient(await bus(), computeRpc(topic, '1.3'));
      const err = await client.call.trigger_crash_dump(ctx, { instance_id: 'i1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcUnsupportedVersionError);
      expect(err).toMatchObject({ code: 'BUS_UNSUPPORTED_VERSION', requested: '1.3', served: '1.2', topic });
      expect(log).toEqual([]);
      expect(h.log().entries.some((e) => e.level === 'warn' && e.msg === 'RPC request refused')).toBe(true);
      expect(await client.call.get_console_output(ctx, { instance_id: 'i1' })).toMatchObject({ by: 'old' });
      // Another major version is refused too.
      const v2 = typedRpcClient(await bus(), defineV2(topic));
      await expect(v2.call.get_console_output(ctx, { instance_id: 'i1' })).rejects.toBeInstanceOf(
        RpcUnsupportedVersionError,
      );
    });

    it('a call to a topic nobody serves times out with a typed error naming the topic', async () => {
      const iface = computeRpc(`nobody${uid()}`, '1.3');
      const client = typedRpcClient(await bus(), iface, { timeoutSeconds: 0.1 });
      const err = await client.call.get_console_output(ctx, { instance_id: 'i1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcTimeoutError);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({
        code: 'BUS_CALL_TIMEOUT',
        topic: iface.topic,
        method: 'get_console_output',
      });
      expect((err as Error).message).toContain(`topic ${iface.topic}`);
      const perCall = await client.call
        .get_console_output(ctx, { instance_id: 'i1' }, { server: 'hostX', timeoutSeconds: 0.05 })
        .catch((e: unknown) => e);
      expect(perCall).toMatchObject({ server: 'hostX', timeoutSeconds: 0.05 });
    });

    it('an unknown method answers a typed error', async () => {
      const iface = computeRpc(`c${uid()}`, '1.3');
      await serve(iface, 'host1', []);
      const raw = (await bus()).rpcClient({ topic: iface.topic }, { errors: [] });
      const err = await raw.call(ctx, 'no_such_thing', {}, { version: '1.0' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcNoSuchMethodError);
      expect(err).toMatchObject({ code: 'BUS_NO_SUCH_METHOD', method: 'no_such_thing' });
      expect(err).toBeInstanceOf(NimbusError);
    });

    it('the context travels with every message; the token only where the method needs it', async () => {
      const iface = computeRpc(`c${uid()}`, '1.3');
      const log: { ctx: RpcContext; method: string; args: unknown }[] = [];
      await serve(iface, 'host1', log);
      const client = typedRpcClient(await bus(), iface);
      const withToken: RpcContext = { ...ctx, domainId: 'default', authToken: 'gAAAA-secret' };
      await client.call.get_console_output(withToken, { instance_id: 'i1' });
      await client.cast.build_and_run_instance(withToken, { instance_id: 'i2', flavor: { ram_mb: 1 } });
      expect(await client.call.whoami(withToken, {})).toEqual(withToken);
      await waitFor(() => log.length >= 2, 'call and cast');
      await sleep(20);
      const { authToken: _t, ...withoutToken } = withToken;
      for (const entry of log) expect(entry.ctx).toEqual(withoutToken);
      expect(withoutToken).toMatchObject({
        requestId: ctx.requestId,
        userId: 'u1',
        projectId: 'p1',
        roles: ctx.roles,
      });
    });
  });
}

/** Version 2.0 of the interface: `get_console_output` since 2.0. */
function defineV2(topic: string) {
  return defineRpcInterface({
    topic,
    version: '2.0',
    methods: {
      get_console_output: {
        args: Type.Object({ instance_id: Type.String() }),
        result: Type.Unknown(),
        since: '2.0',
        mode: 'call',
      },
    },
  });
}
