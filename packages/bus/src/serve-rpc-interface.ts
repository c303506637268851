import { InternalError } from '@nimbus/errors';
import type { MessageBus } from './message-bus';
import type { RpcContext } from './rpc-context';
import { RpcInvalidArgumentsError } from './rpc-errors';
import type { RpcArgs, RpcInterface, RpcMethods, RpcResult } from './rpc-interface';
import { schemaProblems } from './rpc-schema';
import type { RpcEndpoints, RpcServer } from './rpc-server';

/** The implementation of every method of an interface, typed by its schemas. */
export type RpcHandlers<M extends RpcMethods> = {
  readonly [K in keyof M]: (
    ctx: RpcContext,
    args: RpcArgs<M[K]>,
  ) => RpcResult<M[K]> | Promise<RpcResult<M[K]>>;
};

/** Where and how a typed server runs. */
export interface ServeRpcInterfaceOptions {
  /** This server's name, usually the host (`compute.node7` queue). */
  server: string;
  /** Requests handled at once (default 64). */
  concurrency?: number;
}

/**
 * Serves `iface` on `bus` as `server`: consumes the topic's shared queue, the server's own
 * queue and the topic's fanout (see `MessageBus.rpcServer`). Before a handler runs:
 * - a message whose version the interface does not serve (another major, a newer minor) is
 *   answered with RpcUnsupportedVersionError (a cast is logged and dropped);
 * - arguments failing the method's schema are answered with RpcInvalidArgumentsError;
 * - an unknown method is answered with RpcNoSuchMethodError.
 * Neither stops the server. Handlers receive the caller's context (without the token unless
 * the method declares `passToken`). Throws InternalError `BUS_INVALID_OPTION` at once when a
 * method has no handler.
 */
export async function serveRpcInterface<M extends RpcMethods>(
  bus: MessageBus,
  iface: RpcInterface<M>,
  options: ServeRpcInterfaceOptions,
  handlers: RpcHandlers<M>,
): Promise<RpcServer> {
  const endpoints: Record<string, (ctx: RpcContext, args: unknown) => unknown> = {};
  for (const [name, spec] of Object.entries(iface.methods)) {
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (typeof handler !== 'function') {
      throw new InternalError(`No handler for RPC method ${iface.topic}.${name}`, {
        code: 'BUS_INVALID_OPTION',
      });
    }
    endpoints[name] = (ctx, args) => {
      const problems = schemaProblems(spec.args, args);
      if (problems.length > 0) throw new RpcInvalidArgumentsError(name, problems);
      return (handler as (c: RpcContext, a: unknown) => unknown)(ctx, args);
    };
  }
  return bus.rpcServer({ topic: iface.topic, server: options.server }, endpoints as RpcEndpoints, {
    concurrency: options.concurrency,
    version: iface.version,
  });
}
