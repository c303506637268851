import { InternalError } from '@nimbus/errors';
import { type BusInternals, checkName, timeoutMs } from './bus-internals';
import type { RpcContext } from './rpc-context';
import type { Destination } from './transport';

/**
 * Where RPC messages go, as oslo.messaging's Target: a topic (the servers of that topic take
 * turns), one server of it, or all of its servers (fanout, casts only).
 */
export interface RpcTarget {
  topic: string;
  /** Only this server (its `topic.server` queue). */
  server?: string;
  /** Every server of the topic that is connected now. Casts only. */
  fanout?: boolean;
}

/** Options of a client. */
export interface RpcClientOptions {
  /** Seconds a call waits for its reply. Default: the bus's `defaultTimeoutSeconds` (60). */
  timeoutSeconds?: number;
}

/** Options of one call. */
export interface CallOptions {
  /** Seconds this call waits for its reply; also the request's time-to-live in the queue. */
  timeoutSeconds?: number;
}

/** What `prepare()` may change. */
export interface PrepareOptions {
  server?: string;
  fanout?: boolean;
  timeoutSeconds?: number;
}

/** The body of an RPC request on the wire. */
export interface RpcRequest {
  method: string;
  args: Record<string, unknown>;
  context: RpcContext;
}

/** Sends RPC messages to one target. Immutable: `prepare()` returns a narrowed copy. */
export interface RpcClient {
  readonly target: Readonly<RpcTarget>;
  /** Seconds a call waits for its reply. */
  readonly timeoutSeconds: number;
  /**
   * Calls `method` on one server of the target and waits for its result. Rejects with the
   * remote error (a NimbusError keeps its category, code and message; anything else becomes an
   * InternalError with the remote message), with TimeoutError (`BUS_CALL_TIMEOUT`) when no reply
   * came in time (a request still queued then expires unseen), or with InternalError
   * (`BUS_INVALID_TARGET`) on a fanout target.
   */
  call<T = unknown>(
    ctx: RpcContext,
    method: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T>;
  /**
   * Sends `method` without waiting for it to run; to every connected server on a fanout target.
   * Resolves once the transport owns the message (over AMQP: broker-confirmed and persistent);
   * rejects with ServiceUnavailableError when it cannot (`BUS_BUFFER_FULL`, `BUS_CLOSED`).
   * Always await it (or catch it): a cast that failed must not go unnoticed.
   */
  cast(ctx: RpcContext, method: string, args?: Record<string, unknown>): Promise<void>;
  /** A client for a narrower target or another timeout. */
  prepare(options: PrepareOptions): RpcClient;
}

/** Creates a client; `target` names are checked at once. */
export function createRpcClient(
  internals: BusInternals,
  target: RpcTarget,
  options: RpcClientOptions = {},
): RpcClient {
  checkName('topic', target.topic);
  if (target.server !== undefined) checkName('server', target.server);
  const seconds = options.timeoutSeconds ?? internals.defaultTimeoutSeconds;
  timeoutMs(seconds);
  return new TargetClient(internals, Object.freeze({ ...target }), seconds);
}

class TargetClient implements RpcClient {
  private readonly destination: Destination;

  constructor(
    private readonly internals: BusInternals,
    readonly target: Readonly<RpcTarget>,
    readonly timeoutSeconds: number,
  ) {
    this.destination = target.fanout
      ? { kind: 'fanout', topic: target.topic }
      : {
          kind: 'topic',
          routingKey: target.server === undefined ? target.topic : `${target.topic}.${target.server}`,
        };
  }

  async call<T>(
    ctx: RpcContext,
    method: string,
    args: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    this.internals.checkOpen(`call ${this.target.topic}.${method}`);
    if (this.target.fanout) {
      throw new InternalError(`RPC call ${method} to a fanout target: fanout is for casts only`, {
        code: 'BUS_INVALID_TARGET',
      });
    }
    const ms = timeoutMs(options.timeoutSeconds ?? this.timeoutSeconds);
    const { replies, transport } = this.internals;
    const replyTo = await replies.replyTo();
    // The bus may have started closing meanwhile: do not leave a waiting call (and its timer) behind.
    this.internals.checkOpen(`call ${this.target.topic}.${method}`);
    const { id, reply } = replies.expect(ms, () => `${this.describe()} ${method}`);
    const request: RpcRequest = { method, args, context: ctx };
    transport
      .publish(this.destination, { body: request, correlationId: id, replyTo, ttlMs: ms })
      .catch((err: unknown) => replies.fail(id, err));
    return reply as Promise<T>;
  }

  async cast(ctx: RpcContext, method: string, args: Record<string, unknown> = {}): Promise<void> {
    this.internals.checkOpen(`cast ${this.target.topic}.${method}`);
    const request: RpcRequest = { method, args, context: ctx };
    await this.internals.transport.publish(this.destination, { body: request, persistent: true });
  }

  prepare(options: PrepareOptions): RpcClient {
    const target: RpcTarget = { ...this.target };
    if (options.server !== undefined) target.server = options.server;
    if (options.fanout !== undefined) target.fanout = options.fanout;
    return createRpcClient(this.internals, target, {
      timeoutSeconds: options.timeoutSeconds ?? this.timeoutSeconds,
    });
  }

  private describe(): string {
    const t = this.target;
    return t.server === undefined ? `topic ${t.topic}` : `topic ${t.topic}, server ${t.server}`;
  }
}
