export * from './column-types';
export * from './database';
export * from './db-errors';
export * from './migrations';
export * from './test-databases';
export * from './migration-lock';
export { sqliteHandleOf } from './sqlite-handle';
