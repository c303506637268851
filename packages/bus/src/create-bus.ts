import { InternalError } from '@nimbus/errors';
import { AmqpTransport } from './amqp-transport';
import { timeoutMs } from './bus-internals';
import { type BusLogger, stderrBusLogger } from './bus-logger';
import { MemoryTransport } from './memory-transport';
import { parseRpcVersion } from './rpc-version';
import type { MessageBus } from './message-bus';
import { TransportBus } from './transport-bus';

/** How a bus behaves. Every field has a default; AMQP-only and memory-only fields say so. */
export interface BusOptions {
  /** Seconds an RPC call waits for its reply unless the client or call says otherwise (oslo's `rpc_response_timeout`). Default 60. */
  defaultTimeoutSeconds?: number;
  /** Where failures are logged (a pino logger fits). Default: warnings and errors to stderr. */
  logger?: BusLogger;
  /**
   * Shared notification queues keep at most this many messages, dropping the oldest (a queue
   * nobody reads must not grow without bound). Default 100,000 over AMQP, 1,000 in process.
   */
  notificationQueueMaxLength?: number;
  /**
   * The topic exchange of RPC, and the prefix of every queue and exchange of this bus over AMQP
   * (oslo's `control_exchange`); also the exchange notifiers and listeners use unless told
   * otherwise. Default `nimbus`.
   */
  exchange?: string;
  /**
   * AMQP: messages kept while disconnected (casts, calls, replies, notifications). When full,
   * publishing fails at once with ServiceUnavailableError `BUS_BUFFER_FULL`. Default 10,000.
   */
  maxBufferedMessages?: number;
  /** AMQP: first reconnection delay; it doubles per failed attempt (±20 % jitter). Default 0.2 s. */
  reconnectInitialDelaySeconds?: number;
  /** AMQP: longest reconnection delay. Default 30 s. */
  reconnectMaxDelaySeconds?: number;
  /** AMQP: shared queues unused this long are deleted by the broker (`x-expires`). Default: never. For tests. */
  queueExpirySeconds?: number;
  /** AMQP: name shown by `rabbitmqctl list_connections client_properties`. Default `nimbus pid <pid>`. */
  connectionName?: string;
  /** AMQP: time allowed to open the TCP connection. Default 10 s. */
  connectTimeoutSeconds?: number;
  /**
   * Version caps by RPC topic, oslo's `[upgrade_levels]` (`{ compute: '5.0' }`): during a rolling
   * upgrade, clients of that topic refuse to send messages newer than the cap
   * (RpcVersionCapError), so old servers never receive them. Default: no cap.
   */
  upgradeLevels?: Readonly<Record<string, string>>;
  /** Memory: copy bodies through JSON as AMQP would (slower; catches non-JSON payloads in tests). Default false. */
  copyMessages?: boolean;
}

/** The transport URL of a bus nobody configured: in process. */
export const DEFAULT_TRANSPORT_URL = 'memory://';

/**
 * Opens a message bus.
 * - `memory://` (default) or `memory://<name>`: in process; buses opened on the same name in one
 *   process share queues (the name lets tests keep theirs apart).
 * - `amqp://user:pass@host:5672/vhost` (also `amqps://`, and oslo's `rabbit://` spelling): RabbitMQ.
 *   Connects before resolving, once: an unreachable broker rejects with ServiceUnavailableError
 *   `BUS_UNREACHABLE`; later disconnections are recovered automatically.
 */
export async function createBus(
  url: string = DEFAULT_TRANSPORT_URL,
  options: BusOptions = {},
): Promise<MessageBus> {
  const logger = options.logger ?? stderrBusLogger;
  const defaultTimeoutSeconds = options.defaultTimeoutSeconds ?? 60;
  timeoutMs(defaultTimeoutSeconds);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const upgradeLevels = Object.freeze({ ...options.upgradeLevels });
  for (const version of Object.values(upgradeLevels)) parseRpcVersion(version);
  const settings = {
    logger,
    defaultTimeoutSeconds,
    upgradeLevels,
    // In process the queue is memory, and every listener starts with the process anyway.
    notificationQueueMaxLength: options.notificationQueueMaxLength ?? (scheme === 'memory' ? 1000 : 100_000),
  };

  if (scheme === 'memory') {
    const brokerName = url.slice('memory:'.length).replace(/^\/\//, '').replace(/\/+$/, '') || 'default';
    const transport = new MemoryTransport({
      brokerName,
      exchange: options.exchange ?? 'nimbus',
      logger,
      copyMessages: options.copyMessages,
    });
    return new TransportBus(transport, {
      ...settings,
      url: `memory://${brokerName === 'default' ? '' : brokerName}`,
    });
  }

  if (scheme === 'amqp' || scheme === 'amqps' || scheme === 'rabbit') {
    const amqpUrl = scheme === 'rabbit' ? `amqp:${url.slice('rabbit:'.length)}` : url;
    if (/@[^/]*,/.test(amqpUrl)) {
      throw new InternalError(`Several brokers in one transport URL are not supported: ${redactUrl(url)}`, {
        code: 'BUS_INVALID_URL',
      });
    }
    const redactedUrl = redactUrl(amqpUrl);
    const transport = await AmqpTransport.open({
      url: amqpUrl,
      redactedUrl,
      exchange: options.exchange ?? 'nimbus',
      logger,
      maxBufferedMessages: options.maxBufferedMessages ?? 10_000,
      reconnectInitialDelayMs: (options.reconnectInitialDelaySeconds ?? 0.2) * 1000,
      reconnectMaxDelayMs: (options.reconnectMaxDelaySeconds ?? 30) * 1000,
      queueExpiryMs:
        options.queueExpirySeconds === undefined ? undefined : Math.round(options.queueExpirySeconds * 1000),
      connectionName: options.connectionName ?? `nimbus pid ${process.pid}`,
      connectTimeoutMs: (options.connectTimeoutSeconds ?? 10) * 1000,
    });
    return new TransportBus(transport, { ...settings, url: redactedUrl });
  }

  throw new InternalError(`Unsupported message bus URL ${redactUrl(url)}: use memory:// or amqp://`, {
    code: 'BUS_INVALID_URL',
  });
}

/** The URL with every password replaced by `***`, for logs and errors (several `user:pass@host` too). */
export function redactUrl(url: string): string {
  return url.replace(/([/,][^:/@,]*):[^@/,]*@/g, '$1:***@');
}
