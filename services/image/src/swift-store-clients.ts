import type { ServiceClients } from '@nimbus/clients';
import { bootstrapPassword } from '@nimbus/service';

/** The `[image]` options that name the account of the swift stores. */
export interface SwiftStoreAccount {
  /** `project:user` (domain Default); a bare name means the service project. */
  swift_store_user: string;
  /** Its password; empty means the service user's, or the one bootstrap gave that user. */
  swift_store_key: string;
  /** Identity v3 URL to authenticate at; empty means the service user's. */
  swift_store_auth_address: string;
}

/**
 * The clients the swift stores write through (glance_store's own account options): the image
 * service's own clients when the account is its service user, else the same clients
 * authenticated as the configured account.
 */
export function swiftStoreClients(
  clients: ServiceClients,
  o: SwiftStoreAccount,
  dataDir: string,
): ServiceClients {
  const [projectName, username] = o.swift_store_user.includes(':')
    ? (o.swift_store_user.split(':', 2) as [string, string])
    : ['service', o.swift_store_user];
  const own = { projectName, userDomainName: 'Default', projectDomainName: 'Default' };
  return clients.withUser(() => {
    if (o.swift_store_key && o.swift_store_auth_address)
      return { ...own, authUrl: o.swift_store_auth_address, username, password: o.swift_store_key };
    const service = clients.serviceUser();
    if (
      !o.swift_store_key &&
      !o.swift_store_auth_address &&
      username === service.username &&
      projectName === service.projectName
    )
      return service;
    return {
      ...own,
      authUrl: o.swift_store_auth_address || service.authUrl,
      username,
      password:
        o.swift_store_key ||
        (username === service.username ? service.password : bootstrapPassword(dataDir, username)),
    };
  });
}
