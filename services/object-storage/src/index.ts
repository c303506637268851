export { type LocalCluster, openLocalCluster } from './cluster/local-cluster';
export {
  type Handler,
  newRequest,
  readBody,
  type SwiftRequest,
  type SwiftResponse,
} from './common/swift-http';
export { ObjectAuditor } from './daemons/object-auditor';
export { ObjectReplicator } from './daemons/object-replicator';
export * from './object-storage-service';
export { buildPipeline, proxyServer } from './proxy/proxy-server';
export { hashPath } from './ring/hash-path';
export {
  addDevice,
  createRing,
  rebalanceRing,
  removeDevice,
  ringName,
  setWeight,
  showRing,
} from './cluster/ring-commands';
export { clusterOptions } from './conf/options';
export { serveStorageHttp } from './cluster/local-cluster';
export { RingBuilder } from './ring/ring-builder';
export { saveRing, loadRing } from './ring/ring-file';
export { DbReplicator } from './daemons/db-replicator';
export { ObjectUpdater } from './daemons/object-updater';
export { AccountReaper } from './daemons/account-reaper';
