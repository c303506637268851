export * from './nimbus-error';
export * from './error-classes';
