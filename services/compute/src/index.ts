export * from './compute-service';
// The route table, for the fuzzer that walks every declared route (test/fuzz).
export { computeRoutes } from './api/routes';
export { nodeUuid } from './agent/resource-tracker';
