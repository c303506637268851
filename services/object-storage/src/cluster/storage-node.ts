import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DiskIo } from '@nimbus/disk-faults';
import type { Logger } from '@nimbus/logging';
import { quorumSize } from '../proxy/quorum';
import type { HashPathSalt } from '../ring/hash-path';
import type { Ring } from '../ring/ring';
import type { RingName } from '../ring/ring-data';
import { AccountBroker } from '../storage/db/account-broker';
import { AccountServer } from '../storage/db/account-server';
import { BrokerPool } from '../storage/db/broker-pool';
import { ContainerBroker } from '../storage/db/container-broker';
import { type ContainerReport, ContainerServer } from '../storage/db/container-server';
import type { StorageNodeClient } from '../storage/node-client';
import { ObjectDisk } from '../storage/object/disk-file';
import { probeMetadataIo } from '../storage/object/metadata-io';
import { ObjectServer } from '../storage/object/object-server';
import { SuffixHashIndex } from '../storage/object/suffix-hashes';

/** The storage servers of one host, over the devices under one directory. */
export interface StorageNode {
  disk: ObjectDisk;
  hashes: SuffixHashIndex;
  objectServer: ObjectServer;
  containerServer: ContainerServer;
  accountServer: AccountServer;
  containers: BrokerPool<ContainerBroker>;
  accounts: BrokerPool<AccountBroker>;
  close(): void;
}

export interface StorageNodeInput {
  devicesDir: string;
  salt: HashPathSalt;
  rings: Record<RingName, Ring>;
  client: StorageNodeClient;
  /** Addresses served by this process; every ring device at one of them gets its directory. */
  localIps: readonly string[];
  /** Servers registered for in-process requests (default all three); the others are reached over HTTP. */
  serve?: readonly RingName[];
  fsync: boolean;
  reclaimAge: number;
  log: Logger;
  /** The file system the object server's disk files go through (tests inject faults here). */
  io?: DiskIo;
}

/**
 * Starts the object, container and account servers of this host and registers them with the
 * node client under each address the rings give them, so in-process requests skip HTTP.
 */
export function startStorageNode(input: StorageNodeInput): StorageNode {
  const { devicesDir, salt, rings, client, log } = input;
  mkdirSync(devicesDir, { recursive: true });
  for (const ring of Object.values(rings)) {
    for (const d of ring.devices)
      if (input.localIps.includes(d.ip)) mkdirSync(join(devicesDir, d.device), { recursive: true });
  }
  const disk = new ObjectDisk(
    devicesDir,
    probeMetadataIo(devicesDir, input.io),
    input.fsync,
    log.child({ server: 'object' }),
  );
  const mounted = (device: string) => disk.mounted(device);
  const hashes = new SuffixHashIndex(disk, input.reclaimAge);
  const objectServer = new ObjectServer(disk, hashes, salt, client, log.child({ server: 'object' }));
  const containers = new BrokerPool((p) => new ContainerBroker(p));
  const accounts = new BrokerPool((p) => new AccountBroker(p));
  const reportToAccount = async (r: ContainerReport): Promise<boolean> => {
    const { part, nodes } = rings.account.nodes(r.account);
    const headers = {
      'x-put-timestamp': r.put_timestamp,
      'x-delete-timestamp': r.delete_timestamp,
      'x-object-count': String(r.object_count),
      'x-bytes-used': String(r.bytes_used),
    };
    const results = await Promise.all(
      nodes.map((n) => client.request(n, part, 'PUT', `/${r.account}/${r.container}`, headers)),
    );
    return results.filter((x) => x.status >= 200 && x.status < 300).length >= quorumSize(nodes.length);
  };
  const containerServer = new ContainerServer(
    devicesDir,
    salt,
    containers,
    reportToAccount,
    log.child({ server: 'container' }),
    mounted,
  );
  const accountServer = new AccountServer(
    devicesDir,
    salt,
    accounts,
    log.child({ server: 'account' }),
    mounted,
  );
  const served = input.serve ?? ['account', 'container', 'object'];
  const serve = (name: RingName, handler: typeof objectServer.handle) => {
    if (!served.includes(name)) return;
    for (const d of rings[name].devices)
      if (input.localIps.includes(d.ip)) client.register(d.ip, d.port, handler);
  };
  serve('object', objectServer.handle);
  serve('container', containerServer.handle);
  serve('account', accountServer.handle);
  return {
    disk,
    hashes,
    objectServer,
    containerServer,
    accountServer,
    containers,
    accounts,
    close() {
      containerServer.flush();
      containers.closeAll();
      accounts.closeAll();
    },
  };
}
