import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TokenValidator } from '@nimbus/auth';
import { createBus, type MessageBus } from '@nimbus/bus';
import { Config, type OptionGroup } from '@nimbus/config';
import { type Database, migrate, openDatabase } from '@nimbus/db';
import { UnauthorizedError } from '@nimbus/errors';
import { createHttpServer, startProcessMetrics } from '@nimbus/http';
import { createLogger, type Logger } from '@nimbus/logging';
import type { FastifyInstance } from 'fastify';
import { databaseOptions, defaultOptions, serviceUserOptions } from './common-options';
import { databaseUrl } from './database-url';
import type { CloudEndpoint, ServiceDefinition, StartedService } from './service-definition';

/** How to start a set of services in this process. */
export interface StartCloudInput {
  services: readonly ServiceDefinition[];
  /** INI file (oslo-style sections). */
  configFile?: string;
  /** Values that win over file and environment (`{ DEFAULT: { data_dir: '/tmp/x' } }`). */
  overrides?: Record<string, Record<string, unknown>>;
  env?: Record<string, string | undefined>;
  /** Listen on ephemeral ports instead of the upstream defaults (tests). */
  ephemeralPorts?: boolean;
  logger?: Logger;
  /** Used when no service in this process validates tokens (split-out roles). */
  remoteTokenValidator?: (config: Config) => TokenValidator;
}

/** A running set of services. */
export interface RunningCloud {
  config: Config;
  logger: Logger;
  bus: MessageBus;
  dataDir: string;
  endpoints: CloudEndpoint[];
  /** The fastify server of each service type, for in-process tests. */
  servers: Map<string, FastifyInstance>;
  stop(): Promise<void>;
}

/** Every option group the given services and the runner read. */
export function allOptionGroups(services: readonly ServiceDefinition[]): OptionGroup[] {
  return [defaultOptions, databaseOptions, serviceUserOptions, ...services.flatMap((s) => s.options)];
}

/**
 * Starts services in this process: loads and validates configuration, opens and migrates each
 * service's database, starts each service, serves its API, then tells every service the cloud is
 * ready. Identity goes first so the others can validate tokens locally. On any failure everything
 * already started is stopped again before the error is rethrown.
 */
export async function startCloud(input: StartCloudInput): Promise<RunningCloud> {
  const config = Config.load({ groups: allOptionGroups(input.services), file: input.configFile, env: input.env ?? process.env, overrides: input.overrides });
  const defaults = config.group(defaultOptions);
  const logger =
    input.logger ?? createLogger({ level: defaults.log_level, ...(defaults.log_format === 'auto' ? {} : { pretty: defaults.log_format === 'pretty' }) });
  const dataDir = resolve(defaults.data_dir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  startProcessMetrics();

  const bus = await createBus(defaults.transport_url);
  const cleanups: (() => Promise<void>)[] = [async () => bus.close()];
  const servers = new Map<string, FastifyInstance>();
  const endpoints: CloudEndpoint[] = [];
  const started: StartedService[] = [];
  let validator: TokenValidator | undefined;
  const tokenValidator = (): TokenValidator => {
    if (validator) return validator;
    if (input.remoteTokenValidator) {
      validator = input.remoteTokenValidator(config);
      return validator;
    }
    return { validate: async () => Promise.reject(new UnauthorizedError('No identity service is configured to validate tokens.')) };
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
    const ordered = [...input.services].sort((a, b) => Number(b.type === 'identity') - Number(a.type === 'identity'));
    const host = defaults.bind_host;
    const publicHost = defaults.public_host || (host === '0.0.0.0' ? '127.0.0.1' : host);
    for (const def of ordered) {
      const log = logger.child({ service: def.type });
      const db: Database<any> = await openDatabase({ url: databaseUrl(config, dataDir, def.name), service: def.name });
      cleanups.push(async () => db.close());
      await migrate(db, def.migrations);
      const svc = await def.start({ config, logger: log, db, bus, dataDir, tokenValidator });
      started.push(svc);
      cleanups.push(async () => svc.stop?.());
      if (svc.tokenValidator) validator = svc.tokenValidator;
      if (!svc.http) continue;
      const server = createHttpServer({
        ...svc.http,
        name: def.type,
        logger: log,
        bodyLimitBytes: svc.http.bodyLimitBytes ?? defaults.max_request_body_size,
        tokenValidator: svc.http.tokenValidator ?? { validate: (t, o) => tokenValidator().validate(t, o) },
      });
      cleanups.push(async () => server.close());
      const port = input.ephemeralPorts ? 0 : def.port;
      await server.listen({ host, port });
      const address = server.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const url = `http://${publicHost}:${actualPort}`;
      servers.set(def.type, server);
      endpoints.push({ type: def.type, name: def.name, url, catalogUrl: `${url}${def.catalogPath}` });
    }
    for (const svc of started) await svc.cloudReady?.(endpoints);
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, logger, bus, dataDir, endpoints, servers, stop };
}
