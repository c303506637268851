import { InternalError } from '@nimbus/errors';
import { type BusInternals, checkName, timeoutMs } from './bus-internals';
import { type RemoteErrorClass, type RemoteErrorClasses, remoteErrorClasses } from './remote-error';
import type { RpcContext } from './rpc-context';
import { RpcTimeoutError, RpcVersionCapError } from './rpc-errors';
import { parseRpcVersion, versionIsCompatible } from './rpc-version';
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
  /** Version stamped on messages that do not name one (oslo's `Target.version`). Default: none (servers read `1.0`). */
  version?: string;
  /**
   * The newest message version this client may send (oslo's `version_cap`); a message above it
   * is refused with RpcVersionCapError before it leaves. Default: the bus's `upgradeLevels[topic]`.
   */
  versionCap?: string;
  /** Error classes the servers may throw, rebuilt as themselves (oslo's `allowed_remote_exmods`). */
  errors?: readonly RemoteErrorClass[];
}

/** Options of one call. */
export interface CallOptions {
  /** Seconds this call waits for its reply; also the request's time-to-live in the queue. */
  timeoutSeconds?: number;
  /** Version of this message (the interface version that introduced the method or its arguments). */
  version?: string;
}

/** Options of one cast. */
export interface CastOptions {
  /** Version of this message. */
  version?: string;
}

/** What `prepare()` may change. */
export interface PrepareOptions {
  server?: string;
  fanout?: boolean;
  timeoutSeconds?: number;
  version?: string;
  versionCap?: string;
}

/** The body of an RPC request on the wire. */
export interface RpcRequest {
  method: string;
  args: Record<string, unknown>;
  context: RpcContext;
  /** The message's interface version (oslo's `version`); absent means `1.0`. */
  version?: string;
}

/** Sends RPC messages to one target. Immutable: `prepare()` returns a narrowed copy. */
export interface RpcClient {
  readonly target: Readonly<RpcTarget>;
  /** Seconds a call waits for its reply. */
  readonly timeoutSeconds: number;
  /** The version cap in force, if any. */
  readonly versionCap: string | undefined;
  /** True when a message of `version` may be sent under the cap (oslo's `can_send_version`). */
  canSendVersion(version: string): boolean;
  /**
   * Calls `method` on one server of the target and waits for its result. Rejects with the
   * remote error (a class declared in `errors` comes back as itself; another NimbusError keeps
   * its category, code and message; anything else becomes an InternalError with the remote
   * message), with RpcTimeoutError (`BUS_CALL_TIMEOUT`, naming topic, server and method) when no
   * reply came in time (a request still queued then expires unseen), with RpcVersionCapError
   * when the message version is above the cap (nothing is sent), or with InternalError
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
   * rejects with ServiceUnavailableError when it cannot (`BUS_BUFFER_FULL`, `BUS_CLOSED`), or
   * with RpcVersionCapError. Always await it (or catch it): a cast that failed must not go
   * unnoticed.
   */
  cast(ctx: RpcContext, method: string, args?: Record<string, unknown>, options?: CastOptions): Promise<void>;
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
  const settings: ClientSettings = {
    timeoutSeconds: seconds,
    version: options.version,
    versionCap: options.versionCap ?? internals.upgradeLevels[target.topic],
    errors: options.errors ?? [],
    classes: options.errors?.length ? remoteErrorClasses(options.errors) : undefined,
  };
  if (settings.version !== undefined) parseRpcVersion(settings.version);
  if (settings.versionCap !== undefined) parseRpcVersion(settings.versionCap);
  return new TargetClient(internals, Object.freeze({ ...target }), settings);
}

interface ClientSettings {
  timeoutSeconds: number;
  version: string | undefined;
  versionCap: string | undefined;
  errors: readonly RemoteErrorClass[];
  classes: RemoteErrorClasses | undefined;
}

class TargetClient implements RpcClient {
  private readonly destination: Destination;
  readonly timeoutSeconds: number;
  readonly versionCap: string | undefined;

  constructor(
    private readonly internals: BusInternals,
    readonly target: Readonly<RpcTarget>,
    private readonly settings: ClientSettings,
  ) {
    this.timeoutSeconds = settings.timeoutSeconds;
    this.versionCap = settings.versionCap;
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
    const request = this.request(ctx, method, args, options.version);
    const seconds = options.timeoutSeconds ?? this.timeoutSeconds;
    const ms = timeoutMs(seconds);
    const { replies, transport } = this.internals;
    const replyTo = await replies.replyTo();
    // The bus may have started closing meanwhile: do not leave a waiting call (and its timer) behind.
    this.internals.checkOpen(`call ${this.target.topic}.${method}`);
    const { topic, server } = this.target;
    const { id, reply } = replies.expect(
      ms,
      (messageId) => new RpcTimeoutError(topic, server, method, seconds, messageId),
      this.settings.classes,
    );
    transport
      .publish(this.destination, { body: request, correlationId: id, replyTo, ttlMs: ms })
      .catch((err: unknown) => replies.fail(id, err));
    return reply as Promise<T>;
  }

  async cast(
    ctx: RpcContext,
    method: string,
    args: Record<string, unknown> = {},
    options: CastOptions = {},
  ): Promise<void> {
    this.internals.checkOpen(`cast ${this.target.topic}.${method}`);
    const request = this.request(ctx, method, args, options.version);
    await this.internals.transport.publish(this.destination, { body: request, persistent: true });
  }

  canSendVersion(version: string): boolean {
    const cap = this.settings.versionCap;
    return cap === undefined || versionIsCompatible(cap, version);
  }

  prepare(options: PrepareOptions): RpcClient {
    const target: RpcTarget = { ...this.target };
    if (options.server !== undefined) target.server = options.server;
    if (options.fanout !== undefined) target.fanout = options.fanout;
    return createRpcClient(this.internals, target, {
      timeoutSeconds: options.timeoutSeconds ?? this.timeoutSeconds,
      version: options.version ?? this.settings.version,
      versionCap: options.versionCap ?? this.settings.versionCap,
      errors: this.settings.errors,
    });
  }

  /** The wire body; refuses (RpcVersionCapError) a version above the cap. */
  private request(
    ctx: RpcContext,
    method: string,
    args: Record<string, unknown>,
    version = this.settings.version,
  ): RpcRequest {
    if (version === undefined) return { method, args, context: ctx };
    if (!this.canSendVersion(version)) {
      throw new RpcVersionCapError(this.target.topic, method, version, this.settings.versionCap!);
    }
    return { method, args, context: ctx, version };
  }
}
