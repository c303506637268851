export * from './identity-service';
export { buildIdentityCore } from './identity-core';
export { fernetCommands, keyRepositoryPath } from './cli/fernet-commands';
export { bootstrapCloud } from './manager/bootstrap/cloud-bootstrap';
export { managerBootstrapPort } from './manager/bootstrap/manager-bootstrap-port';
export { fernetOptions, identityOptions } from './conf/options';
// The route table, for the fuzzer that walks every declared route (test/fuzz).
export { identityRoutes } from './api/routes';
export { identityPolicies } from './api/policy/identity-policies';
export { identityPolicyCredentials } from './api/policy/identity-policy-credentials';
