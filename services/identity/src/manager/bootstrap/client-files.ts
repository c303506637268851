import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** How clients reach the cloud as admin. */
export interface AdminAccess {
  authUrl: string;
  password: string;
  regionId: string;
}

/**
 * Writes `clouds.yaml` (a `nimbus` cloud for project admin, `nimbus-system` for system scope) and
 * an `openrc` into the data directory, readable by the owner only, and returns how to use them.
 */
export function writeClientFiles(dataDir: string, access: AdminAccess): string {
  const auth = {
    auth_url: access.authUrl,
    username: 'admin',
    password: access.password,
    user_domain_name: 'Default',
  };
  const clouds = {
    clouds: {
      nimbus: {
        auth: { ...auth, project_name: 'admin', project_domain_name: 'Default' },
        region_name: access.regionId,
        identity_api_version: 3,
        interface: 'public',
      },
      'nimbus-system': {
        auth: { ...auth, system_scope: 'all' },
        region_name: access.regionId,
        identity_api_version: 3,
        interface: 'public',
      },
    },
  };
  const cloudsPath = join(dataDir, 'clouds.yaml');
  writeFileSync(cloudsPath, stringify(clouds), { mode: 0o600 });
  chmodSync(cloudsPath, 0o600);
  const quote = (v: string) => `'${v.replaceAll("'", "'\\''")}'`;
  const openrc = [
    `export OS_AUTH_URL=${quote(access.authUrl)}`,
    'export OS_IDENTITY_API_VERSION=3',
    'export OS_USERNAME=admin',
    `export OS_PASSWORD=${quote(access.password)}`,
    'export OS_PROJECT_NAME=admin',
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    `export OS_REGION_NAME=${quote(access.regionId)}`,
    '',
  ].join('\n');
  const openrcPath = join(dataDir, 'openrc');
  writeFileSync(openrcPath, openrc, { mode: 0o600 });
  chmodSync(openrcPath, 0o600);
  return `Admin credentials: OS_CLIENT_CONFIG_FILE=${cloudsPath} openstack --os-cloud nimbus token issue   (or: source ${openrcPath})`;
}
