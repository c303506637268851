export * from './network-policy';
