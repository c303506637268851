// The route table, for the fuzzer that walks every declared route (test/fuzz).

export { blockStoragePolicies } from './api/block-storage-policies';
export { blockStorageRoutes } from './api/routes';
export * from './block-storage-service';
