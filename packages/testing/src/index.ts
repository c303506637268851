export * from './start-test-cloud';
