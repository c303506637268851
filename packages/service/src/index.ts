export * from './common-options';
export * from './database-url';
export * from './hash-thread';
export * from './service-definition';
export * from './start-cloud';
