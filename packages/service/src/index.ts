export * from './common-options';
export * from './database-url';
export * from './hash-threads';
export * from './service-definition';
export * from './start-cloud';
export * from './page-cache';
