export * from './option';
export * from './config';
export * from './sample';
export { parseOptionValue } from './parse-value';
