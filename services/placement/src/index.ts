export * from './placement-service';
export { noauthCredentials } from './api/placement-request';
