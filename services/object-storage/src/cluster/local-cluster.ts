import type { Server } from 'node:http';
import type { DiskIo } from '@nimbus/disk-faults';
import type { Logger } from '@nimbus/logging';
import { listenStorageServer } from '../api/storage-http-server';
import { type Constraints, DEFAULT_CONSTRAINTS } from '../common/constraints';
import { Backend } from '../proxy/backend';
import { InfoCache } from '../proxy/container-info';
import type { ProxyContext } from '../proxy/proxy-context';
import type { HashPathSalt } from '../ring/hash-path';
import type { Ring } from '../ring/ring';
import type { RingName } from '../ring/ring-data';
import { StorageNodeClient } from '../storage/node-client';
import { type DefaultLayout, ensureRings, ensureSalt, loadRings } from './cluster-setup';
import { type StorageNode, startStorageNode } from './storage-node';

/** Serves this host's storage servers (all, or the given kinds) over HTTP on each ring port its address has. */
export async function serveStorageHttp(
  cluster: LocalCluster,
  ip: string,
  log: Logger,
  kinds: readonly RingName[] = ['object', 'container', 'account'],
): Promise<Server[]> {
  const servers: Server[] = [];
  const handlers = {
    object: cluster.node.objectServer.handle,
    container: cluster.node.containerServer.handle,
    account: cluster.node.accountServer.handle,
  };
  for (const name of kinds) {
    const ports = new Set(cluster.rings[name].devices.filter((d) => d.ip === ip).map((d) => d.port));
    for (const port of ports)
      servers.push(await listenStorageServer(handlers[name], ip, port, log.child({ server: name, port })));
  }
  return servers;
}

/** How to open the cluster of this host. */
export interface LocalClusterInput {
  ringDir: string;
  devicesDir: string;
  /** Configured salt; generated beside the rings when both are empty. */
  hashPrefix?: string;
  hashSuffix?: string;
  /** Rings built when none exist. */
  layout: DefaultLayout;
  /** Addresses whose ring devices this host serves (default: the layout's ip). */
  localIps?: readonly string[];
  /** Storage servers answering in-process requests (default all three; see StorageNodeInput.serve). */
  serve?: readonly RingName[];
  fsync: boolean;
  reclaimAge: number;
  nodeTimeoutMs: number;
  constraints?: Partial<Constraints>;
  accountAutocreate?: boolean;
  expiringDivisor?: number;
  log: Logger;
  /** The file system the object server goes through (tests inject faults; default the real one). */
  io?: DiskIo;
}

/** The rings, this host's storage servers and the proxy's view of them. */
export interface LocalCluster {
  salt: HashPathSalt;
  rings: Record<RingName, Ring>;
  client: StorageNodeClient;
  node: StorageNode;
  backend: Backend;
  proxy: ProxyContext;
  close(): void;
}

/**
 * Opens the cluster as this host sees it: salt and rings (built on first start), the storage
 * servers of every local device, and the proxy context over them. The service wires middleware
 * and daemons on top; tests use it bare.
 */
export function openLocalCluster(input: LocalClusterInput): LocalCluster {
  const salt = ensureSalt(input.ringDir, input.hashPrefix ?? '', input.hashSuffix ?? '');
  ensureRings(input.ringDir, input.layout);
  const rings = loadRings(input.ringDir, salt);
  const client = new StorageNodeClient(input.nodeTimeoutMs);
  const node = startStorageNode({
    devicesDir: input.devicesDir,
    salt,
    rings,
    client,
    localIps: [input.layout.ip],
    serve: input.serve,
    fsync: input.fsync,
    reclaimAge: input.reclaimAge,
    log: input.log,
    io: input.io,
  });
  const backend = new Backend(rings, client);
  const proxy: ProxyContext = {
    backend,
    info: new InfoCache(backend),
    constraints: { ...DEFAULT_CONSTRAINTS, ...input.constraints },
    accountAutocreate: input.accountAutocreate ?? true,
    expiringDivisor: input.expiringDivisor ?? 86_400,
  };
  return {
    salt,
    rings,
    client,
    node,
    backend,
    proxy,
    close() {
      node.close();
      client.close();
    },
  };
}
