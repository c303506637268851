export * from './start-test-cloud';
export * from './cloud-tokens';
export * from './raw-header-names';
