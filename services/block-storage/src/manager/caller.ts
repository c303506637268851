import type { RpcContext } from '@nimbus/bus';

/** Who asks, as the managers need it (built from the request's credentials). */
export interface Caller {
  projectId: string;
  userId: string;
  isAdmin: boolean;
  requestId: string;
  /** The caller's token, for calls to other APIs on their behalf (image, object store). */
  token?: string;
}

/** The RPC context of a caller (no token unless asked). */
export function rpcContext(caller: Caller, withToken = false): RpcContext {
  return {
    requestId: caller.requestId,
    projectId: caller.projectId,
    userId: caller.userId,
    isAdmin: caller.isAdmin,
    roles: caller.isAdmin ? ['admin'] : [],
    ...(withToken && caller.token ? { authToken: caller.token } : {}),
  };
}

/** The caller an RPC handler acts for. */
export function callerOf(ctx: RpcContext): Caller {
  return {
    projectId: ctx.projectId ?? '',
    userId: ctx.userId ?? '',
    isAdmin: ctx.isAdmin ?? false,
    requestId: ctx.requestId ?? '',
    ...(ctx.authToken ? { token: ctx.authToken } : {}),
  };
}
