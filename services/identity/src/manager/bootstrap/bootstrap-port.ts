/**
 * The idempotent writes bootstrap needs from identity's managers. Every method creates what is
 * missing and leaves what exists alone (an existing user keeps its password).
 */
export interface BootstrapPort {
  ensureDomain(id: string, name: string): Promise<void>;
  /** The project's id. */
  ensureProject(name: string, domainId: string, description: string): Promise<string>;
  /** The role's id. */
  ensureRole(name: string): Promise<string>;
  ensureImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<void>;
  /** The user's id, and whether it was created now (only then is `password` set). */
  ensureUser(name: string, domainId: string, password: string): Promise<{ id: string; created: boolean }>;
  ensureProjectGrant(userId: string, projectId: string, roleId: string): Promise<void>;
  ensureSystemGrant(userId: string, roleId: string): Promise<void>;
  ensureRegion(id: string): Promise<void>;
  /** The service's id (found by type and name). */
  ensureService(type: string, name: string): Promise<string>;
  /** Creates the endpoint or updates its URL when it changed. */
  ensureEndpoint(
    serviceId: string,
    iface: 'public' | 'internal' | 'admin',
    url: string,
    regionId: string,
  ): Promise<void>;
}
