// The route table, for the fuzzer that walks every declared route (test/fuzz).
export { networkRoutes } from './api/routes';
export type { BindingRequest, NetworkDriver, PortBinding } from './drivers/driver-api';
export { FakeNetworkDriver } from './drivers/fake/fake-network-driver';
export * from './network-service';
export { loadNetworkPolicy, neutronPolicies } from './policies/network-policy';
