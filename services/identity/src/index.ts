export * from './token/fernet';
export * from './token/key-repository';
