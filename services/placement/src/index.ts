export { placementPolicies } from './api/placement-policies';
export { noauthCredentials } from './api/placement-request';
// The route table, for the fuzzer that walks every declared route (test/fuzz).
export { placementRoutes, placementRouteTable } from './api/routes';
export * from './placement-service';
