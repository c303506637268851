export { type DiskFault, type DiskOp, diskError, type FaultRule } from './disk-fault';
export { type DiskIo, nodeDiskIo } from './disk-io';
export { type FaultHit, FaultInjectingDiskIo } from './fault-injecting-disk-io';
