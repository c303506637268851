export { type BusLogger, silentBusLogger, stderrBusLogger } from './bus-logger';
export { type BusOptions, createBus, DEFAULT_TRANSPORT_URL, redactUrl } from './create-bus';
export type { BusHealth, MessageBus } from './message-bus';
export {
  eventTypeMatcher,
  type NotificationHandler,
  type NotificationListener,
  type NotificationListenerOptions,
} from './notification-listener';
export {
  DEFAULT_NOTIFICATION_TOPIC,
  NOTIFICATION_PRIORITIES,
  type Notification,
  type NotificationPriority,
  type Notifier,
  type NotifierOptions,
  type NotifyMethod,
  pythonUtcTimestamp,
} from './notifier';
export { deserializeError, type SerializedError, serializeError } from './remote-error';
export type { CallOptions, PrepareOptions, RpcClient, RpcClientOptions, RpcTarget } from './rpc-client';
export type { RpcContext } from './rpc-context';
export {
  DEFAULT_RPC_CONCURRENCY,
  type RpcEndpoint,
  type RpcEndpoints,
  type RpcServer,
  type RpcServerOptions,
  type RpcServerTarget,
} from './rpc-server';
