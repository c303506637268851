import type { TokenValidator } from '@nimbus/auth';
import type { MessageBus } from '@nimbus/bus';
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

/** What the runner hands a service when it starts. */
export interface ServiceContext {
  config: Config;
  logger: Logger;
  /** The service's own database, migrated. Drivers never see it. */
  db: Database<any>;
  bus: MessageBus;
  /** Absolute data directory of this cloud. */
  dataDir: string;
  /** Validates tokens: the identity service's own, or a remote one with a short cache. */
  tokenValidator(): TokenValidator;
}

/** The parts a started service gives back to the runner. */
export interface StartedService {
  /** The API, when the service has one in this role. */
  http?: Omit<HttpServiceSpec, 'name' | 'logger' | 'tokenValidator'> & { tokenValidator?: TokenValidator };
  /** Identity provides local token validation to the services in the same process. */
  tokenValidator?: TokenValidator;
  /** Called once every API listens, with every endpoint of the cloud (identity bootstraps its catalog here). */
  cloudReady?(endpoints: readonly CloudEndpoint[]): Promise<void>;
  /** Stops workers and releases resources; the runner closes the database and the HTTP server. */
  stop?(): Promise<void>;
}

/**
 * A service, declared as data: its catalog identity, port, options, migrations, and how to start it.
 * Nothing in it knows whether it runs all-in-one or alone: the context is injected.
 */
export interface ServiceDefinition {
  type: string;
  name: string;
  /** Default API port, as upstream. */
  port: number;
  /** Path appended to `http://host:port` for the catalog (`/v3`, `/v1/AUTH_%(project_id)s`...). */
  catalogPath: string;
  options: readonly OptionGroup[];
  migrations: readonly Migration[];
  start(ctx: ServiceContext): Promise<StartedService>;
}

/** Declares a service (an identity function that checks the shape). */
export function defineService(definition: ServiceDefinition): ServiceDefinition {
  return definition;
}
