export * from './http-error';
export * from './rest-client';
export * from './session';
export * from './identity-token-validator';
export * from './object-store-client';
export * from './limits-client';
