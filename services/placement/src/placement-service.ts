import { loadServicePolicy, osloPolicyOptions } from '@nimbus/policy';
import { defineService } from '@nimbus/service';
import type { CorsPolicy } from './api/cors';
import { placementFaults } from './api/placement-faults';
import { placementHeaderSpelling } from './api/placement-header-spelling';
import { noauthCredentials } from './api/placement-request';
import { placementPolicies } from './api/placement-policies';
import type { PlacementServices } from './api/placement-services';
import { placementRoutes } from './api/routes';
import { corsOptions, placementApiOptions, placementOptions } from './conf/options';
import { AllocationRepository } from './db/allocation-repository';
import { CandidateSnapshots } from './db/candidate-snapshot';
import { InventoryRepository } from './db/inventory-repository';
import { placementMigrations } from './db/migrations/index';
import type { PlacementTables } from './db/placement-tables';
import { ProviderLinksRepository } from './db/provider-links-repository';
import { ProviderRepository } from './db/provider-repository';
import { UsageRepository } from './db/usage-repository';
import { CandidateFinder } from './manager/candidates/candidate-finder';
import { ResourceClasses } from './manager/resource-classes';
import { Traits } from './manager/traits';

/**
 * Placement (8.0, microversions 1.0 to 1.39): resource providers and their trees, inventories,
 * resource classes, traits, aggregates, allocations with generations, usages and allocation
 * candidates. One role, `api` (`placement-api`); every process of it may share one database.
 */
export const placementService = defineService({
  id: 'placement',
  type: 'placement',
  name: 'placement',
  options: [placementOptions, placementApiOptions, corsOptions, osloPolicyOptions],
  migrations: placementMigrations,
  roles: [
    {
      name: 'api',
      description:
        'The Placement API (placement-api): providers, inventories, traits, allocations, candidates.',
      http: { port: 8778, catalogPath: '' },
      async start(ctx) {
        const o = ctx.config.group(placementOptions);
        const authStrategy = ctx.config.group(placementApiOptions).auth_strategy as 'keystone' | 'noauth2';
        const db = ctx.db as import('@nimbus/db').Database<PlacementTables>;
        const classes = new ResourceClasses(db);
        const traits = new Traits(db);
        await classes.syncStandard();
        await traits.syncStandard();
        if (authStrategy === 'noauth2') {
          ctx.logger.warn(
            'placement: [api] auth_strategy = noauth2: requests are NOT authenticated (X-Auth-Token and X-Roles are trusted). Only for functional tests.',
          );
        }
        const policy = loadServicePolicy({
          serviceType: 'placement',
          defaults: placementPolicies,
          config: ctx.config,
          dataDir: ctx.dataDir,
          logger: ctx.logger,
        });
        const services: PlacementServices = {
          authStrategy,
          policy,
          classes,
          traits,
          providers: new ProviderRepository(db),
          inventories: new InventoryRepository(db, classes),
          links: new ProviderLinksRepository(db, traits),
          allocations: new AllocationRepository(db, classes, o.allocation_conflict_retry_count),
          usages: new UsageRepository(db, classes),
          candidates: new CandidateFinder(new CandidateSnapshots(db)),
          candidateOptions: {
            randomize: o.randomize_allocation_candidates,
            maxResults: o.max_placement_results,
          },
          cors: corsPolicy(ctx.config.group(corsOptions)),
          incompleteConsumer: {
            projectId: o.incomplete_consumer_project_id,
            userId: o.incomplete_consumer_user_id,
          },
        };
        return {
          async stop() {
            policy.close();
          },
          http: {
            routes: placementRoutes,
            faults: placementFaults,
            headerSpelling: placementHeaderSpelling,
            // Bodies are read and parsed by the Placement handlers, which word the errors as upstream.
            streamContentTypes: '*',
            services,
            // noauth2: any token passes here; the Placement handler builds the caller from the headers.
            ...(authStrategy === 'noauth2'
              ? { tokenValidator: { validate: async (token: string) => noauthCredentials(token, {}) } }
              : {}),
          },
        };
      },
    },
  ],
});

function corsPolicy(c: {
  allowed_origin: string[];
  allow_headers: string[];
  expose_headers: string[];
  allow_methods: string[];
  allow_credentials: boolean;
  max_age: number;
}): CorsPolicy | undefined {
  if (!c.allowed_origin.length) return undefined;
  return {
    allowedOrigins: c.allowed_origin,
    allowHeaders: c.allow_headers,
    exposeHeaders: c.expose_headers,
    allowMethods: c.allow_methods.map((m) => m.toUpperCase()),
    allowCredentials: c.allow_credentials,
    maxAgeSeconds: c.max_age,
  };
}
