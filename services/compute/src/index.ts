export { nodeUuid } from './agent/resource-tracker';
export { computePolicies } from './api/compute-policies';
// The route table, for the fuzzer that walks every declared route (test/fuzz).
export { computeRoutes } from './api/routes';
export * from './compute-service';
