export * from './main';
export * from './service-registry';
