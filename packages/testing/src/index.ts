export * from './start-test-cloud';
export * from './cloud-tokens';
