export * from './token/fernet';
export * from './token/key-repository';
export * from './token/token-formatter';
export * from './token/token-payload';
export * from './password/password-hasher';
export * from './manager/revocation/revocation-event';
export * from './manager/revocation/revocation-index';
export * from './db/migrations/index';
