import type { Server } from 'node:http';
import type { RoleDefinition } from '@nimbus/service';
import { clusterOptions } from '../conf/options';
import type { RingName } from '../ring/ring-data';
import type { ObjectStorageShared } from './object-storage-shared';
import { serveStorageHttp } from './local-cluster';

/**
 * The account, container or object server of this host (swift-<kind>-server). In process it
 * answers the proxy and daemons directly; with `serve_storage_http` it also listens on its ring
 * ports for proxies and replicators on other hosts.
 */
export function storageServerRole(kind: RingName): RoleDefinition<ObjectStorageShared> {
  return {
    name: `${kind}-server`,
    description: `The ${kind} server of this host's devices (swift-${kind}-server), on its ring ports with serve_storage_http.`,
    async start(ctx) {
      const servers: Server[] = ctx.config.group(clusterOptions).serve_storage_http
        ? await serveStorageHttp(ctx.shared.cluster, ctx.shared.storageIp, ctx.logger, [kind])
        : [];
      return {
        async stop() {
          for (const s of servers) await new Promise((r) => s.close(r));
        },
      };
    },
  };
}
