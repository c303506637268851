import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EndpointInterface, ServiceClients, type ServiceUser } from '@nimbus/clients';
import type { Config } from '@nimbus/config';
import { InternalError } from '@nimbus/errors';
import { parse } from 'yaml';
import { serviceUserOptions } from './common-options';

/** The password identity's bootstrap gave a service user (`<data_dir>/service-users.yaml`). */
export function bootstrapPassword(dataDir: string, username: string): string {
  let users: Record<string, string> | null = null;
  try {
    users = parse(readFileSync(join(dataDir, 'service-users.yaml'), 'utf8')) as Record<string, string> | null;
  } catch {
    // no bootstrap file (yet): fall through
  }
  const password = users?.[username];
  if (!password)
    throw new InternalError(`No password for service user ${username}: set [service_user] password`, {
      code: 'SERVICE_USER_UNKNOWN',
    });
  return password;
}

/** Where the runner finds what a service's clients need. */
export interface ServiceClientsInput {
  config: Config;
  dataDir: string;
  /** Upstream's service name (glance, swift): its bootstrap-made user when `[service_user] username` is empty. */
  serviceName: string;
  /** Identity's v3 URL when identity runs in this process and listens (else `[service_user] auth_url`). */
  localIdentityUrl: () => string | undefined;
}

/**
 * The ServiceClients of one service in this process: `[service_user]` when a user is configured
 * (split-out roles), else the user identity's bootstrap created for the service with the password
 * it wrote to the data directory (all-in-one). Identity in this process wins over the configured
 * auth URL. Both are resolved on first use, so clients made before the cloud is up work after.
 */
export function createServiceClients(input: ServiceClientsInput): ServiceClients {
  const o = input.config.group(serviceUserOptions);
  const identityUrl = () => input.localIdentityUrl() ?? o.auth_url;
  const user = (): ServiceUser => {
    const username = o.username || input.serviceName;
    return {
      authUrl: identityUrl(),
      username,
      password: o.password || bootstrapPassword(input.dataDir, username),
      projectName: o.project_name,
      userDomainName: o.user_domain_name,
      projectDomainName: o.project_domain_name,
    };
  };
  return new ServiceClients({
    user,
    identityUrl,
    // keystoneauth's valid_interfaces: the configured one, then public.
    interface: o.interface === 'public' ? 'public' : ([o.interface, 'public'] as EndpointInterface[]),
    ...(o.region_name ? { region: o.region_name } : {}),
    timeoutSeconds: o.timeout_seconds,
  });
}
