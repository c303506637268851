export { type BusLogger, silentBusLogger, stderrBusLogger } from './bus-logger';
export { type BusOptions, createBus, DEFAULT_TRANSPORT_URL, redactUrl } from './create-bus';
export type { BusHealth, MessageBus } from './message-bus';
export {
  messagingDefaultOptions,
  notificationOptions,
  notifierOptionsFromConfig,
  upgradeLevelOptions,
  upgradeLevelsFromConfig,
} from './messaging-options';
export {
  eventTypeMatcher,
  type NotificationHandler,
  type NotificationListener,
  type NotificationListenerOptions,
} from './notification-listener';
export {
  DEFAULT_NOTIFICATION_TOPIC,
  NOTIFICATION_DRIVERS,
  NOTIFICATION_PRIORITIES,
  type Notification,
  type NotificationDriver,
  type NotificationPriority,
  type Notifier,
  type NotifierOptions,
  type NotifyMethod,
  pythonUtcNow,
  pythonUtcTimestamp,
} from './notifier';
export {
  decodeOsloNotification,
  encodeOsloNotification,
  fromOsloContext,
  type OsloMessageFormat,
  toOsloContext,
} from './oslo-notification';
export {
  deserializeError,
  type RemoteErrorClass,
  remoteErrorClasses,
  type SerializedError,
  serializeError,
} from './remote-error';
export type {
  CallOptions,
  CastOptions,
  PrepareOptions,
  RpcClient,
  RpcClientOptions,
  RpcTarget,
} from './rpc-client';
export type { RpcContext } from './rpc-context';
export {
  RpcInvalidArgumentsError,
  RpcNoSuchMethodError,
  RpcTimeoutError,
  RpcUnsupportedVersionError,
  RpcVersionCapError,
} from './rpc-errors';
export {
  defineRpcInterface,
  type RpcArgs,
  type RpcInterface,
  type RpcMethodSpec,
  type RpcMethods,
  type RpcResult,
} from './rpc-interface';
export { type Static, type TSchema, Type } from './rpc-schema';
export {
  DEFAULT_RPC_CONCURRENCY,
  type RpcEndpoint,
  type RpcEndpoints,
  type RpcServer,
  type RpcServerOptions,
  type RpcServerTarget,
} from './rpc-server';
export { parseRpcVersion, type RpcVersion, versionIsCompatible } from './rpc-version';
export { type RpcHandlers, type ServeRpcInterfaceOptions, serveRpcInterface } from './serve-rpc-interface';
export {
  type TypedCallOptions,
  type TypedCastOptions,
  type TypedRpcClient,
  type TypedRpcClientOptions,
  typedRpcClient,
} from './typed-rpc-client';
