import type { TokenValidator } from '@nimbus/auth';
import type { MessageBus, NotificationHandler, NotificationPriority, RpcEndpoints } from '@nimbus/bus';
import type { ServiceClients } from '@nimbus/clients';
import type { Config, OptionGroup } from '@nimbus/config';
import type { Database, Migration } from '@nimbus/db';
import type { HttpServiceSpec } from '@nimbus/http';
import type { Logger } from '@nimbus/logging';

/** One API endpoint of the running cloud, as the catalog will list it. */
export interface CloudEndpoint {
  /** Catalog type (identity, image, object-store...). */
  type: string;
  /** Service name (keystone, glance, swift...). */
  name: string;
  /** Base URL as clients reach it; `%(project_id)s`-style templates are the service's business. */
  url: string;
  /** URL template registered in the catalog (Swift's `/v1/AUTH_$(project_id)s`). */
  catalogUrl: string;
}

/** What the runner hands a service when one or more of its roles start in this process. */
export interface ServiceContext {
  config: Config;
  logger: Logger;
  /** The service's own database, migrated. Drivers never see it. */
  db: Database<any>;
  bus: MessageBus;
  /** Absolute data directory of this cloud. */
  dataDir: string;
  /** Names of this service's roles that run in this process (`['proxy', 'object-server']`). */
  roles: readonly string[];
  /** Validates tokens: the identity service's own, or a remote one with a short cache. */
  tokenValidator(): TokenValidator;
  /**
   * The clients of the other services, authenticated as this service's user and found in the
   * catalog: the one way a service reaches another (never its own sessions or `fetch`).
   */
  clients: ServiceClients;
}

/** What one role instance gets: the service context, what `setup` built, and its host. */
export interface RoleContext<S = unknown> extends ServiceContext {
  /** What the service's `setup` returned; the same object for every role of the service in this process. */
  shared: S;
  /** The role's name (`api`, `object-replicator`). */
  role: string;
  /** The host this instance acts as: `--host` for a per-host role, else `[DEFAULT] host`. */
  host: string;
}

/** The HTTP API of a role. */
export interface RoleHttp {
  /** Default port, as upstream. */
  port: number;
  /** Path appended to `http://host:port` for the catalog (`/v3`); absent when the API is not in the catalog (Nova's metadata). */
  catalogPath?: string;
  /** Catalog type, when not the service's (Heat's `cloudformation`). */
  catalogType?: string;
  /** Catalog service name, when not the service's (`heat-cfn`). */
  catalogName?: string;
}

/** A periodic task a role runs on the one periodic-task helper; its pass comes from `start`. */
export interface RolePeriodicTask {
  /** Unique in the role; the task's name in logs and metrics (`object-replicator`, `revocation-refresh`). */
  name: string;
  /** Seconds between passes: fixed, or read from configuration. */
  intervalSeconds: number | ((config: Config) => number);
  /** See PeriodicTaskOptions.jitter (default 0.1). */
  jitter?: number;
  /** Seconds before the first pass (default one interval). */
  initialDelaySeconds?: number;
  /** See PeriodicTaskOptions.maxBackoffSeconds. */
  maxBackoffSeconds?: number;
  /** Whether the task runs with this configuration (default: always). */
  enabled?(config: Config): boolean;
}

/** An RPC server a role runs; its endpoints come from `start`. */
export interface RoleRpcServer {
  /** oslo.messaging topic (`conductor`, `compute`). */
  topic: string;
  /**
   * The server name is the instance's host in both cases; `perHost` documents that callers address
   * one host (`topic.host`, as nova-compute), where a shared topic's servers take turns.
   */
  perHost?: boolean;
}

/** A notification listener a role runs; its handler comes from `start`. */
export interface RoleNotificationListener {
  /** Unique in the role; names the handler `start` returns. */
  name: string;
  /** Topics (default `['notifications']`). */
  topics?: string[];
  /** Listeners of one pool share the notifications (default: the role id, so one copy per role). */
  pool?: string;
  eventTypes?: string[];
  priorities?: NotificationPriority[];
}

/** The parts a started role gives back; the runner serves and stops them. */
export interface StartedRole {
  /** The API, when the role declares `http`. */
  http?: Omit<HttpServiceSpec, 'name' | 'logger' | 'tokenValidator'> & { tokenValidator?: TokenValidator };
  /** Identity provides local token validation to the services in the same process. */
  tokenValidator?: TokenValidator;
  /** The pass of each declared periodic task (enabled ones), by task name. */
  periodic?: Record<string, (signal: AbortSignal) => Promise<unknown>>;
  /** The endpoints of each declared RPC server, by topic. */
  rpc?: Record<string, RpcEndpoints>;
  /** The handler of each declared notification listener, by name. */
  notifications?: Record<string, NotificationHandler>;
  /** Called once every API listens, with every endpoint of the cloud (identity bootstraps its catalog here). */
  cloudReady?(endpoints: readonly CloudEndpoint[]): Promise<void>;
  /** Releases the role's resources; runs after its tasks, servers and listeners stopped. */
  stop?(): Promise<void>;
}

/**
 * One role of a service, declared as data: what `nimbus serve --list` prints, what `nimbus status`
 * reports, what the runner starts. Upstream's process names are the model: Nova's `api`,
 * `conductor`, `scheduler`, `compute` agent (per host) and `metadata`; Swift's `proxy`,
 * `object-server`, `object-replicator`...
 */
export interface RoleDefinition<S = any> {
  /** Short name; `<service id>-<name>` is the role's id (`compute-agent`, `object-storage-proxy`). */
  name: string;
  /** One line for `nimbus serve --list`. */
  description: string;
  /** The role serves an API. */
  http?: RoleHttp;
  /**
   * One instance per host (a compute agent): `nimbus serve <role> --host a --host b` runs one per
   * name in the process (simulated hosts); others run once per process.
   */
  perHost?: boolean;
  rpc?: readonly RoleRpcServer[];
  periodic?: readonly RolePeriodicTask[];
  notifications?: readonly RoleNotificationListener[];
  /** Other ids this role answers to in `nimbus serve` (names used before roles existed). */
  aliases?: readonly string[];
  /** Builds the role's parts; everything declared above is started by the runner from them. */
  start(ctx: RoleContext<S>): Promise<StartedRole>;
}

/**
 * A service, declared as data: its catalog identity, options, migrations, what its roles share in
 * one process, and its roles. Nothing in it knows whether it runs all-in-one or split out.
 */
export interface ServiceDefinition<S = any> {
  /** Nimbus's name of the service and the prefix of its role ids (`identity`, `object-storage`); default `type`. */
  id?: string;
  /** Catalog type. */
  type: string;
  /** Upstream's service name (catalog name, database name). */
  name: string;
  options: readonly OptionGroup[];
  migrations: readonly Migration[];
  /** Builds what the roles running in this process share (opened once, before the first role). */
  setup?(ctx: ServiceContext): Promise<S>;
  /** Releases what `setup` built, after every role of the service stopped. */
  teardown?(shared: S): Promise<void>;
  /** The roles, in start order. */
  roles?: readonly RoleDefinition<S>[];
  /** Single-role form (before roles): the API port. Ignored when `roles` is given. */
  port?: number;
  /** Single-role form: the catalog path. */
  catalogPath?: string;
  /** Single-role form: starts the one role, named `api`. */
  start?(ctx: ServiceContext): Promise<StartedRole>;
}

/** Declares a service (an identity function that checks the shape and infers `setup`'s type for the roles). */
export function defineService<S>(definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition;
}

/** The parts a started single-role service gives back (the single-role form's name for StartedRole). */
export type StartedService = StartedRole;
