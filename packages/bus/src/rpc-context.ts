/**
 * The request context that travels with every RPC message and notification, as oslo.context's
 * dictionary does: who asked (user, project, roles), under which request id, so the worker that
 * handles the message logs and authorises as the original caller.
 *
 * It is a plain JSON object: no class instances, no functions, no `Date` (over AMQP it is
 * serialised; in process it is passed as is and must not be mutated by the receiver). The named
 * fields are the ones Nimbus uses; services may add their own keys.
 */
export interface RpcContext {
  /** `req-<uuid>` of the API request that caused this message. */
  requestId?: string;
  /** The request id a caller from another service passed along (`X-OpenStack-Request-ID`). */
  globalRequestId?: string;
  userId?: string;
  userName?: string;
  userDomainId?: string;
  projectId?: string;
  projectName?: string;
  projectDomainId?: string;
  domainId?: string;
  /** `all` for system-scoped callers. */
  systemScope?: string;
  /** Role names, implied roles included. */
  roles?: string[];
  isAdmin?: boolean;
  /**
   * The caller's token, only where a worker must call another API on the caller's behalf. It
   * crosses the broker in clear, as in OpenStack: leave it out when it is not needed.
   */
  authToken?: string;
  [key: string]: unknown;
}
