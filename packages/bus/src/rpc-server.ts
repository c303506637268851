import { InternalError, isNimbusError } from '@nimbus/errors';
import { type BusInternals, checkName } from './bus-internals';
import { serializeError } from './remote-error';
import type { ReplyBody } from './reply-waiter';
import type { RpcRequest } from './rpc-client';
import type { RpcContext } from './rpc-context';
import { RpcNoSuchMethodError, RpcUnsupportedVersionError } from './rpc-errors';
import { parseRpcVersion, versionIsCompatible } from './rpc-version';
import type { IncomingMessage, QueueSpec } from './transport';

/** Where an RPC server listens: a topic, as one named server of it. */
export interface RpcServerTarget {
  topic: string;
  /** This server's name, usually the host (`compute.node7` queue). */
  server: string;
}

/**
 * One RPC method. Receives the caller's context and arguments (plain JSON; do not mutate them);
 * returns a JSON-serialisable result (or a promise of one), or throws: a NimbusError reaches
 * the caller with its category, code and message, anything else as an InternalError.
 */
export type RpcEndpoint = (ctx: RpcContext, args: any) => unknown;

/** The methods a server exposes, by name. Only own properties count (never prototype methods). */
export type RpcEndpoints = Readonly<Record<string, RpcEndpoint>>;

/** Options of an RPC server. */
export interface RpcServerOptions {
  /**
   * Requests handled at once (oslo's `executor_thread_pool_size`), default 64. Further requests
   * wait in the broker's queue, where other servers of the topic can take them.
   */
  concurrency?: number;
  /**
   * The interface version this server implements (oslo's endpoint `Target.version`). A request
   * whose version is not compatible (another major version, or a newer minor one) is answered
   * with RpcUnsupportedVersionError, never run. Default: no check.
   */
  version?: string;
}

/** A running RPC server. */
export interface RpcServer {
  readonly target: Readonly<RpcServerTarget>;
  /** Stops taking requests and waits for the running ones to answer. Idempotent. */
  stop(): Promise<void>;
}

/** Default number of requests a server handles at once. */
export const DEFAULT_RPC_CONCURRENCY = 64;

/** Starts an RPC server (see `MessageBus.rpcServer`). */
export async function startRpcServer(
  internals: BusInternals,
  target: RpcServerTarget,
  endpoints: RpcEndpoints,
  options: RpcServerOptions = {},
): Promise<RpcServer> {
  internals.checkOpen(`serve topic ${target.topic}`);
  const topic = checkName('topic', target.topic);
  const server = checkName('server', target.server);
  const concurrency = options.concurrency ?? DEFAULT_RPC_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InternalError(`Invalid RPC server concurrency ${concurrency}`, { code: 'BUS_INVALID_OPTION' });
  }
  if (options.version !== undefined) parseRpcVersion(options.version);
  const served = options.version;
  const queues: QueueSpec[] = [
    { kind: 'shared', name: topic, routingKeys: [topic] },
    { kind: 'shared', name: `${topic}.${server}`, routingKeys: [`${topic}.${server}`] },
    { kind: 'fanout', topic },
  ];
  const frozen = Object.freeze({ topic, server });
  const subscription = await internals.transport.subscribe(
    queues,
    (message) => dispatch(internals, frozen, endpoints, served, message),
    { concurrency, ack: 'before' },
  );
  let stopping: Promise<void> | undefined;
  const running: RpcServer = {
    target: frozen,
    stop() {
      stopping ??= (async () => {
        untrack();
        await subscription.close();
      })();
      return stopping;
    },
  };
  const untrack = internals.track(running);
  return running;
}

async function dispatch(
  internals: BusInternals,
  target: RpcServerTarget,
  endpoints: RpcEndpoints,
  served: string | undefined,
  message: IncomingMessage,
): Promise<void> {
  const request = (isObject(message.body) ? message.body : {}) as Partial<RpcRequest>;
  const method = typeof request.method === 'string' ? request.method : undefined;
  let reply: ReplyBody;
  try {
    if (method === undefined) {
      throw new InternalError('Malformed RPC message: no method', { code: 'BUS_MALFORMED_MESSAGE' });
    }
    if (served !== undefined) {
      const requested = typeof request.version === 'string' ? request.version : '1.0';
      if (!isCompatible(served, requested)) {
        throw new RpcUnsupportedVersionError(target.topic, requested, served);
      }
    }
    const endpoint = Object.hasOwn(endpoints, method) ? endpoints[method] : undefined;
    if (typeof endpoint !== 'function') throw new RpcNoSuchMethodError(method);
    const ctx = (isObject(request.context) ? request.context : {}) as RpcContext;
    const args = isObject(request.args) ? request.args : {};
    reply = { result: await endpoint.call(endpoints, ctx, args) };
  } catch (err) {
    logFailure(internals, target, method, message, err);
    reply = { failure: serializeError(err) };
  }
  if (message.replyTo === undefined) return;
  const destination = { kind: 'direct', queue: message.replyTo } as const;
  try {
    await internals.transport.publish(destination, { body: reply, correlationId: message.correlationId });
  } catch (err) {
    if (isNimbusError(err) && err.code === 'BUS_UNSERIALIZABLE') {
      // The result could not be encoded: the caller gets that error instead of waiting for a timeout.
      await internals.transport
        .publish(destination, {
          body: { failure: serializeError(err) },
          correlationId: message.correlationId,
        })
        .catch((e: unknown) => internals.logger.warn({ err: e, method }, 'RPC reply could not be sent'));
      return;
    }
    internals.logger.warn({ err, topic: target.topic, method }, 'RPC reply could not be sent');
  }
}

/** Codes of requests the server refused without running them. */
const REFUSALS = new Set([
  'BUS_NO_SUCH_METHOD',
  'BUS_MALFORMED_MESSAGE',
  'BUS_UNSUPPORTED_VERSION',
  'BUS_INVALID_ARGUMENTS',
]);

function logFailure(
  internals: BusInternals,
  target: RpcServerTarget,
  method: string | undefined,
  message: IncomingMessage,
  err: unknown,
): void {
  const fields = {
    err,
    topic: target.topic,
    server: target.server,
    method,
    kind: message.replyTo ? 'call' : 'cast',
  };
  // A refused request is the caller's bug (or a version skew) and says so; other domain errors
  // are answers, not faults of this server; anything else is a bug here, worth a stack.
  if (isNimbusError(err) && REFUSALS.has(err.code)) {
    internals.logger.warn({ ...fields, err: undefined, reason: err.message }, 'RPC request refused');
  } else if (isNimbusError(err) && err.category !== 'internal') {
    internals.logger.debug(fields, 'RPC endpoint raised');
  } else internals.logger.error(fields, 'RPC endpoint failed');
}

function isCompatible(served: string, requested: string): boolean {
  try {
    return versionIsCompatible(served, requested);
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
