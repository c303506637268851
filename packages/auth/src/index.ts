export * from './credentials';
export * from './token-validator';
export * from './caching-token-validator';
