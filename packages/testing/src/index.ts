export * from './cloud-tokens';
export * from './json-caller';
export * from './openstack-cli';
export * from './raw-header-names';
export * from './serve-process';
export * from './start-test-cloud';
export * from './test-credentials';
