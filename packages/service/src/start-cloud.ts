import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { TokenValidator } from '@nimbus/auth';
import {
  createBus,
  type MessageBus,
  messagingDefaultOptions,
  notificationOptions,
  upgradeLevelOptions,
} from '@nimbus/bus';
import type { ServiceClients } from '@nimbus/clients';
import { Config, type OptionGroup } from '@nimbus/config';
import { type Database, migrate, openDatabase } from '@nimbus/db';
import { UnauthorizedError } from '@nimbus/errors';
import { createHttpServer, startProcessMetrics } from '@nimbus/http';
import { createLogger, type Logger } from '@nimbus/logging';
import type { FastifyInstance } from 'fastify';
import { databaseOptions, defaultOptions, serviceUserOptions } from './common-options';
import { databaseUrl } from './database-url';
import { startRoleHeartbeats } from './role-heartbeats';
import { type RoleInstanceInfo, type RunningRoleInstance, startRoleInstance } from './role-runner';
import { createServiceClients } from './service-clients-factory';
import type { CloudEndpoint, RoleDefinition, ServiceContext, ServiceDefinition } from './service-definition';
import { expandHosts, listRoles, type ServiceRole, selectRoles, serviceId } from './service-roles';

/** How to start a set of services, or some of their roles, in this process. */
export interface StartCloudInput {
  services: readonly ServiceDefinition[];
  /** Roles to run (ids, aliases or unique names, as `nimbus serve` takes them); default every role of every service. */
  roles?: readonly string[];
  /** Hosts this process acts as for per-host roles (one instance each; ranges as `node[1-1000]`); default `[DEFAULT] host`. */
  hosts?: readonly string[];
  /** INI file (oslo-style sections). */
  configFile?: string;
  /** Values that win over file and environment (`{ DEFAULT: { data_dir: '/tmp/x' } }`). */
  overrides?: Record<string, Record<string, unknown>>;
  env?: Record<string, string | undefined>;
  /** Listen on ephemeral ports instead of the upstream defaults (tests). */
  ephemeralPorts?: boolean;
  logger?: Logger;
  /** Used when no service in this process validates tokens (split-out roles); `clients` are the asking service's. */
  remoteTokenValidator?: (config: Config, clients: ServiceClients) => TokenValidator;
}

/** A running set of roles. */
export interface RunningCloud {
  config: Config;
  logger: Logger;
  bus: MessageBus;
  dataDir: string;
  /** The catalog's endpoints of the APIs served here. */
  endpoints: CloudEndpoint[];
  /** Every role instance running here. */
  roles: RoleInstanceInfo[];
  /** The fastify server of each API: by catalog type, or by role id for APIs outside the catalog. */
  servers: Map<string, FastifyInstance>;
  /** Every running role instance (tests reach their periodic tasks here). */
  instances: RunningRoleInstance[];
  stop(): Promise<void>;
}

/** Every option group the given services and the runner read. */
export function allOptionGroups(services: readonly ServiceDefinition[]): OptionGroup[] {
  return [
    defaultOptions,
    databaseOptions,
    serviceUserOptions,
    messagingDefaultOptions,
    notificationOptions,
    upgradeLevelOptions,
    ...services.flatMap((s) => s.options),
  ];
}

/**
 * Starts roles in this process: loads and validates configuration; for each service with a role
 * to run, opens and migrates its database and runs its `setup`; starts each role (one instance per
 * host for per-host roles) with its RPC servers, periodic tasks and listeners; serves each API;
 * announces the instances on the bus; then tells every role the cloud is ready. Identity goes
 * first so the others can validate tokens locally. On any failure everything already started is
 * stopped again before the error is rethrown.
 */
export async function startCloud(input: StartCloudInput): Promise<RunningCloud> {
  const config = Config.load({
    groups: allOptionGroups(input.services),
    file: input.configFile,
    env: input.env ?? process.env,
    overrides: input.overrides,
  });
  const defaults = config.group(defaultOptions);
  const selected = input.roles ? selectRoles(input.services, input.roles) : listRoles(input.services);
  const logger =
    input.logger ??
    createLogger({
      level: defaults.log_level,
      ...(defaults.log_format === 'auto' ? {} : { pretty: defaults.log_format === 'pretty' }),
    });
  const dataDir = resolve(defaults.data_dir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  startProcessMetrics();
  const host = defaults.host || hostname();
  const hosts = input.hosts?.length ? expandHosts(input.hosts) : [host];

  const bus = await createBus(defaults.transport_url);
  const cleanups: (() => Promise<void>)[] = [async () => bus.close()];
  const servers = new Map<string, FastifyInstance>();
  const endpoints: CloudEndpoint[] = [];
  const instances: RunningRoleInstance[] = [];
  let validator: TokenValidator | undefined;
  const tokenValidator = (clients: ServiceClients): TokenValidator => {
    if (validator) return validator;
    if (input.remoteTokenValidator) {
      validator = input.remoteTokenValidator(config, clients);
      return validator;
    }
    return {
      validate: async () =>
        Promise.reject(new UnauthorizedError('No identity service is configured to validate tokens.')),
    };
  };
  const stop = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, 'error while stopping');
      }
    }
    logger.flush?.();
  };

  try {
    const ordered = [...input.services].sort(
      (a, b) => Number(b.type === 'identity') - Number(a.type === 'identity'),
    );
    const bindHost = defaults.bind_host;
    const publicHost = defaults.public_host || (bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost);
    const serve = async (
      def: ServiceDefinition,
      role: RoleDefinition,
      instance: RunningRoleInstance,
      log: Logger,
      clients: ServiceClients,
    ) => {
      const http = instance.started.http;
      if (!role.http || !http) return;
      const server = createHttpServer({
        ...http,
        name: role.http.catalogType ?? def.type,
        logger: log,
        bodyLimitBytes: http.bodyLimitBytes ?? defaults.max_request_body_size,
        requestTimeoutSeconds: http.requestTimeoutSeconds ?? defaults.request_timeout,
        tokenValidator: http.tokenValidator ?? { validate: (t, o) => tokenValidator(clients).validate(t, o) },
      });
      cleanups.push(async () => server.close());
      const port = input.ephemeralPorts ? 0 : role.http.port;
      await server.listen({ host: bindHost, port });
      const address = server.server.address();
      const url = `http://${publicHost}:${typeof address === 'object' && address ? address.port : port}`;
      instance.info.url = url;
      const type = role.http.catalogType ?? def.type;
      if (role.http.catalogPath === undefined) {
        servers.set(instance.info.id, server);
        return;
      }
      servers.set(type, server);
      endpoints.push({
        type,
        name: role.http.catalogName ?? def.name,
        url,
        catalogUrl: `${url}${role.http.catalogPath}`,
      });
    };
    for (const def of ordered) {
      const roles: ServiceRole[] = selected.filter((r) => r.service === def);
      if (!roles.length) continue;
      const log = logger.child({ service: def.type });
      const db: Database<any> = await openDatabase({
        url: databaseUrl(config, dataDir, def.name),
        service: def.name,
      });
      cleanups.push(async () => db.close());
      await migrate(db, def.migrations);
      const clients = createServiceClients({
        config,
        dataDir,
        serviceName: def.name,
        localIdentityUrl: () => endpoints.find((e) => e.type === 'identity')?.catalogUrl,
      });
      const ctx: ServiceContext = {
        config,
        logger: log,
        db,
        bus,
        dataDir,
        roles: roles.map((r) => r.role.name),
        tokenValidator: () => tokenValidator(clients),
        clients,
      };
      const shared = await def.setup?.(ctx);
      if (def.teardown) cleanups.push(async () => def.teardown!(shared));
      for (const { role } of roles) {
        for (const h of role.perHost ? hosts : [host]) {
          const roleLog = role.perHost
            ? log.child({ role: role.name, host: h })
            : log.child({ role: role.name });
          const instance = await startRoleInstance(serviceId(def), role, {
            ...ctx,
            logger: roleLog,
            shared,
            role: role.name,
            host: h,
          });
          instances.push(instance);
          cleanups.push(() => instance.stop());
          if (instance.started.tokenValidator) validator = instance.started.tokenValidator;
          await serve(def, role, instance, roleLog, clients);
        }
      }
    }
    const heartbeats = await startRoleHeartbeats({
      bus,
      host,
      instances: () => instances.map((i) => i.info),
      intervalSeconds: defaults.report_interval,
      logger,
    });
    cleanups.push(() => heartbeats.stop());
    for (const instance of instances) await instance.started.cloudReady?.(endpoints);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    config,
    logger,
    bus,
    dataDir,
    endpoints,
    roles: instances.map((i) => i.info),
    servers,
    instances,
    stop,
  };
}
