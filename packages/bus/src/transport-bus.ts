import { ServiceUnavailableError } from '@nimbus/errors';
import type { BusInternals } from './bus-internals';
import type { BusLogger } from './bus-logger';
import type { BusHealth, MessageBus } from './message-bus';
import {
  type NotificationHandler,
  type NotificationListener,
  type NotificationListenerOptions,
  startNotificationListener,
} from './notification-listener';
import { createNotifier, type Notifier, type NotifierOptions } from './notifier';
import { ReplyWaiter } from './reply-waiter';
import { createRpcClient, type RpcClient, type RpcClientOptions, type RpcTarget } from './rpc-client';
import {
  type RpcEndpoints,
  type RpcServer,
  type RpcServerOptions,
  type RpcServerTarget,
  startRpcServer,
} from './rpc-server';
import type { Transport } from './transport';

/** Settings the bus itself (not the transport) uses. */
export interface TransportBusSettings {
  url: string;
  logger: BusLogger;
  defaultTimeoutSeconds: number;
  notificationQueueMaxLength: number;
  upgradeLevels: Readonly<Record<string, string>>;
}

/**
 * The MessageBus over any Transport: RPC and notification semantics live here once, so both
 * transports behave the same.
 */
export class TransportBus implements MessageBus {
  readonly url: string;
  private readonly internals: BusInternals;
  private readonly running = new Set<{ stop(): Promise<void> }>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly transport: Transport,
    settings: TransportBusSettings,
  ) {
    this.url = settings.url;
    const replies = new ReplyWaiter(transport, settings.logger);
    this.internals = {
      transport,
      logger: settings.logger,
      replies,
      defaultTimeoutSeconds: settings.defaultTimeoutSeconds,
      upgradeLevels: settings.upgradeLevels,
      notificationQueueMaxLength: settings.notificationQueueMaxLength,
      checkOpen: (action) => {
        if (this.closing) throw closedError(action);
      },
      track: (item) => {
        this.running.add(item);
        return () => this.running.delete(item);
      },
    };
  }

  rpcServer(
    target: RpcServerTarget,
    endpoints: RpcEndpoints,
    options?: RpcServerOptions,
  ): Promise<RpcServer> {
    return startRpcServer(this.internals, target, endpoints, options);
  }

  rpcClient(target: RpcTarget, options?: RpcClientOptions): RpcClient {
    return createRpcClient(this.internals, target, options);
  }

  notifier(publisherId: string, options?: NotifierOptions): Notifier {
    return createNotifier(this.internals, publisherId, options);
  }

  notificationListener(
    options: NotificationListenerOptions,
    handler: NotificationHandler,
  ): Promise<NotificationListener> {
    return startNotificationListener(this.internals, options, handler);
  }

  health(): BusHealth {
    return this.transport.health();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Callers first: a handler below may be waiting on one of these calls.
    this.internals.replies.failAll(closedError('wait for a reply'));
    await Promise.all([...this.running].map((r) => r.stop()));
    await this.internals.replies.close();
    await this.transport.close();
  }
}

function closedError(action: string): ServiceUnavailableError {
  return new ServiceUnavailableError(`The message bus is closed: cannot ${action}`, { code: 'BUS_CLOSED' });
}
