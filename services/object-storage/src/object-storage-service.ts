import { resolve } from 'node:path';
import { webobFaults } from '@nimbus/http';
import { defineService, serviceUserOptions } from '@nimbus/service';
import { objectStorageRoutes } from './api/routes';
import { transactionId } from './api/swift-edge';
import { openLocalCluster, serveStorageHttp } from './cluster/local-cluster';
import { authOptions, clusterOptions, daemonOptions } from './conf/options';
import { startDaemons } from './daemons/daemon-runner';
import { parseRealms } from './middleware/container-sync';
import { buildMiddleware } from './middleware/middleware-stack';
import { buildPipeline, proxyServer } from './proxy/proxy-server';

/**
 * Object storage (Swift v1): the proxy with its middleware pipeline, and the account,
 * container and object servers of this host with their background daemons. Rings and the
 * hashing salt are created on first start: three devices in three zones, three replicas.
 */
export const objectStorageService = defineService({
  type: 'object-store',
  name: 'swift',
  port: 8080,
  catalogPath: '/v1/AUTH_$(project_id)s',
  options: [clusterOptions, authOptions, daemonOptions],
  migrations: [],
  async start(ctx) {
    const o = ctx.config.group(clusterOptions);
    const auth = ctx.config.group(authOptions);
    const daemonConf = ctx.config.group(daemonOptions);
    const base = resolve(ctx.dataDir, 'object-storage');
    const ringDir = o.ring_dir ? resolve(o.ring_dir) : resolve(base, 'rings');
    const devicesDir = o.devices ? resolve(o.devices) : resolve(base, 'devices');
    const cluster = openLocalCluster({
      ringDir,
      devicesDir,
      hashPrefix: o.swift_hash_path_prefix,
      hashSuffix: o.swift_hash_path_suffix,
      layout: {
        partPower: o.part_power,
        replicas: o.replicas,
        minPartHours: o.min_part_hours,
        deviceCount: o.device_count,
        ip: o.storage_ip,
        ports: { object: o.object_port, container: o.container_port, account: o.account_port },
      },
      fsync: o.fsync,
      reclaimAge: o.reclaim_age,
      nodeTimeoutMs: o.node_timeout * 1000,
      constraints: {
        max_file_size: o.max_file_size,
        container_listing_limit: o.container_listing_limit,
        account_listing_limit: o.account_listing_limit,
      },
      accountAutocreate: o.account_autocreate,
      expiringDivisor: o.expiring_objects_container_divisor,
      log: ctx.logger,
    });
    const { node, rings, client, backend, salt, proxy: proxyCtx } = cluster;
    const storageServers = o.serve_storage_http ? await serveStorageHttp(cluster, o.storage_ip, ctx.logger) : [];
    // Identity's URL: the configured one when split out, the running one once the cloud is up.
    let identityUrl: string | undefined = ctx.config.group(serviceUserOptions).auth_url.replace(/\/v3\/?$/, '');
    const middleware = buildMiddleware({
      ctx: proxyCtx,
      validator: ctx.tokenValidator(),
      auth,
      log: ctx.logger,
      identityUrl: () => identityUrl,
    });
    const pipeline = buildPipeline(middleware, proxyServer(proxyCtx));
    const daemons = daemonConf.enabled
      ? startDaemons({
          node,
          rings,
          client,
          backend,
          salt,
          options: daemonConf,
          reclaimAge: o.reclaim_age,
          log: ctx.logger,
          realms: parseRealms(auth.container_sync_realms),
        })
      : undefined;
    return {
      http: {
        routes: objectStorageRoutes,
        faults: webobFaults,
        streamContentTypes: '*',
        requestIdHeaders: ['x-openstack-request-id', 'x-trans-id'],
        newRequestId: transactionId,
        badUrl: { status: 412, message: 'Invalid UTF8 or contains NULL' },
        services: { pipeline, log: ctx.logger },
      },
      async cloudReady(endpoints) {
        const identity = endpoints.find((e) => e.type === 'identity');
        if (identity) identityUrl = identity.url;
      },
      async stop() {
        await daemons?.stop();
        for (const s of storageServers) await new Promise((r) => s.close(r));
        cluster.close();
      },
    };
  },
});
