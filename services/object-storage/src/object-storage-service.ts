import { webobFaults } from '@nimbus/http';
import { defineService, type RoleDefinition } from '@nimbus/service';
import { objectStorageRoutes } from './api/routes';
import { swiftHeaderSpelling } from './api/swift-header-spelling';
import { transactionId } from './api/swift-edge';
import { type ObjectStorageShared, openObjectStorage } from './cluster/object-storage-shared';
import { storageServerRole } from './cluster/storage-server-role';
import { authOptions, clusterOptions, daemonOptions } from './conf/options';
import { daemonRoles } from './daemons/daemon-roles';
import { buildMiddleware } from './middleware/middleware-stack';
import { buildPipeline, proxyServer } from './proxy/proxy-server';

/** The proxy (swift-proxy-server): the Swift API with its middleware pipeline. */
const proxyRole: RoleDefinition<ObjectStorageShared> = {
  name: 'proxy',
  description: 'The Swift v1 API and S3 (swift-proxy-server) with its middleware pipeline.',
  http: { port: 8080, catalogPath: '/v1/AUTH_$(project_id)s' },
  aliases: ['object-store-api'],
  async start(ctx) {
    const middleware = buildMiddleware({
      ctx: ctx.shared.cluster.proxy,
      validator: ctx.tokenValidator(),
      auth: ctx.config.group(authOptions),
      log: ctx.logger,
      identity: ctx.clients.identity,
    });
    const pipeline = buildPipeline(middleware, proxyServer(ctx.shared.cluster.proxy));
    return {
      http: {
        routes: objectStorageRoutes,
        faults: webobFaults,
        headerSpelling: swiftHeaderSpelling,
        streamContentTypes: '*',
        requestIdHeaders: ['x-openstack-request-id', 'x-trans-id'],
        newRequestId: transactionId,
        badUrl: { status: 412, message: 'Invalid UTF8 or contains NULL' },
        services: { pipeline, log: ctx.logger },
      },
    };
  },
};

/**
 * Object storage (Swift v1), as upstream's processes: the proxy, the account, container and
 * object servers of this host, and the background daemons, each a role. Rings and the hashing
 * salt are created on first start: three devices in three zones, three replicas.
 */
export const objectStorageService = defineService<ObjectStorageShared>({
  id: 'object-storage',
  type: 'object-store',
  name: 'swift',
  options: [clusterOptions, authOptions, daemonOptions],
  migrations: [],
  async setup(ctx) {
    return openObjectStorage(ctx);
  },
  async teardown(shared) {
    shared.cluster.close();
  },
  roles: [
    proxyRole,
    storageServerRole('account'),
    storageServerRole('container'),
    storageServerRole('object'),
    ...daemonRoles,
  ],
});
