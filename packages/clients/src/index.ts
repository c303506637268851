export * from './http-error';
export * from './rest-client';
export * from './session';
