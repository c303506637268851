import type { MessageBus } from './message-bus';
import type { RpcClient } from './rpc-client';
import type { RpcContext } from './rpc-context';
import type { RpcArgs, RpcInterface, RpcMethodSpec, RpcMethods, RpcResult } from './rpc-interface';

/** Options of a typed client. */
export interface TypedRpcClientOptions {
  /** Send to this server only (its `topic.server` queue). Default: any server of the topic. */
  server?: string;
  /** Seconds a call waits for its reply. Default: the bus's. */
  timeoutSeconds?: number;
  /** Newest version this client sends. Default: the bus's `upgradeLevels[topic]` (`[upgrade_levels]`). */
  versionCap?: string;
}

/** Options of one typed call. */
export interface TypedCallOptions {
  /** This server only, for this call. */
  server?: string;
  timeoutSeconds?: number;
}

/** Options of one typed cast. */
export interface TypedCastOptions {
  /** This server only, for this cast. */
  server?: string;
}

type Callable<M extends RpcMethods> = { [K in keyof M]: M[K] extends { mode: 'cast' } ? never : K }[keyof M];
type Castable<M extends RpcMethods> = { [K in keyof M]: M[K] extends { mode: 'call' } ? never : K }[keyof M];

/**
 * A client of one RPC interface, generated from its declaration: every method is typed by its
 * schemas. `call.<method>` waits for the result; `cast.<method>` sends and resolves once the
 * transport owns the message; `fanout.<method>` casts to every server of the topic.
 *
 * Errors: the remote error (the interface's `errors` come back as their own classes),
 * RpcTimeoutError naming topic, server and method, RpcVersionCapError when the method's `since`
 * is above the version cap (nothing sent: check `canSend` first to fall back), and
 * RpcUnsupportedVersionError when the server runs an older interface.
 */
export interface TypedRpcClient<M extends RpcMethods> {
  readonly interface: RpcInterface<M>;
  readonly versionCap: string | undefined;
  readonly call: {
    readonly [K in Callable<M>]: (
      ctx: RpcContext,
      args: RpcArgs<M[K]>,
      options?: TypedCallOptions,
    ) => Promise<RpcResult<M[K]>>;
  };
  readonly cast: {
    readonly [K in Castable<M>]: (
      ctx: RpcContext,
      args: RpcArgs<M[K]>,
      options?: TypedCastOptions,
    ) => Promise<void>;
  };
  readonly fanout: {
    readonly [K in Castable<M>]: (ctx: RpcContext, args: RpcArgs<M[K]>) => Promise<void>;
  };
  /** True when the cap lets `method` be sent (oslo's `can_send_version` for its `since`). */
  canSend(method: keyof M & string): boolean;
  /** A client with other defaults (another server, timeout or cap). */
  prepare(options: TypedRpcClientOptions): TypedRpcClient<M>;
}

/** Most servers a client keeps a prepared low-level client for (per-host casts). */
const SERVER_CACHE = 4096;

/** Creates a typed client of `iface` on `bus`. Cheap; keep one per interface. */
export function typedRpcClient<M extends RpcMethods>(
  bus: MessageBus,
  iface: RpcInterface<M>,
  options: TypedRpcClientOptions = {},
): TypedRpcClient<M> {
  const base = bus.rpcClient(
    { topic: iface.topic, server: options.server },
    { timeoutSeconds: options.timeoutSeconds, versionCap: options.versionCap, errors: iface.errors },
  );
  const fanout = base.prepare({ fanout: true, server: undefined });
  const byServer = new Map<string, RpcClient>();
  const to = (server: string | undefined): RpcClient => {
    if (server === undefined) return base;
    let client = byServer.get(server);
    if (!client) {
      if (byServer.size >= SERVER_CACHE) byServer.clear();
      client = base.prepare({ server });
      byServer.set(server, client);
    }
    return client;
  };

  const call: Record<string, unknown> = {};
  const cast: Record<string, unknown> = {};
  const fan: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(iface.methods)) {
    if (spec.mode !== 'cast') {
      call[name] = (ctx: RpcContext, args: Record<string, unknown>, o: TypedCallOptions = {}) =>
        to(o.server).call(contextFor(spec, ctx), name, args, {
          timeoutSeconds: o.timeoutSeconds,
          version: spec.since,
        });
    }
    if (spec.mode !== 'call') {
      cast[name] = (ctx: RpcContext, args: Record<string, unknown>, o: TypedCastOptions = {}) =>
        to(o.server).cast(contextFor(spec, ctx), name, args, { version: spec.since });
      fan[name] = (ctx: RpcContext, args: Record<string, unknown>) =>
        fanout.cast(contextFor(spec, ctx), name, args, { version: spec.since });
    }
  }
  return {
    interface: iface,
    versionCap: base.versionCap,
    call: Object.freeze(call) as TypedRpcClient<M>['call'],
    cast: Object.freeze(cast) as TypedRpcClient<M>['cast'],
    fanout: Object.freeze(fan) as TypedRpcClient<M>['fanout'],
    canSend: (method) => {
      const spec = iface.methods[method];
      return spec !== undefined && base.canSendVersion(spec.since);
    },
    prepare: (more) =>
      typedRpcClient(bus, iface, {
        server: more.server ?? options.server,
        timeoutSeconds: more.timeoutSeconds ?? base.timeoutSeconds,
        versionCap: more.versionCap ?? base.versionCap,
      }),
  };
}

/** The context as sent: without the token unless the method must act for the user. */
function contextFor(spec: RpcMethodSpec, ctx: RpcContext): RpcContext {
  if (spec.passToken || ctx.authToken === undefined) return ctx;
  const { authToken: _token, ...rest } = ctx;
  return rest;
}
