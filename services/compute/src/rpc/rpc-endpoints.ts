import {
  type RpcEndpoint,
  type RpcEndpoints,
  type RpcHandlers,
  type RpcInterface,
  RpcInvalidArgumentsError,
  type RpcMethods,
} from '@nimbus/bus';
import { Value } from '@sinclair/typebox/value';

/**
 * The endpoints the role runner serves for a typed interface: each handler behind a check of its
 * arguments against the method's schema (as `serveRpcInterface` does when it serves alone).
 */
export function rpcEndpoints<M extends RpcMethods>(
  iface: RpcInterface<M>,
  handlers: RpcHandlers<M>,
): RpcEndpoints {
  const endpoints: Record<string, RpcEndpoint> = {};
  for (const [name, spec] of Object.entries(iface.methods)) {
    const handler = handlers[name] as (ctx: unknown, args: unknown) => unknown;
    endpoints[name] = (ctx, args) => {
      if (!Value.Check(spec.args, args)) {
        throw new RpcInvalidArgumentsError(
          name,
          [...Value.Errors(spec.args, args)].map((e) => `${e.path || '/'}: ${e.message}`),
        );
      }
      return handler(ctx, args);
    };
  }
  return endpoints;
}
