import { randomBytes } from 'node:crypto';
import type { BootstrapPort } from './bootstrap-port';

/** One API to register in the catalog. */
export interface BootstrapEndpoint {
  type: string;
  name: string;
  url: string;
}

/** What bootstrap creates. */
export interface BootstrapInput {
  adminPassword: string;
  regionId: string;
  endpoints: readonly BootstrapEndpoint[];
  /** Services that get a user in the `service` project (all but identity). */
  serviceUsers: readonly string[];
  /** Passwords of service users created earlier, kept; new ones are generated. */
  knownServicePasswords: Readonly<Record<string, string>>;
}

/** What bootstrap established. */
export interface BootstrapResult {
  adminUserId: string;
  adminProjectId: string;
  /** True when the admin user was created now (its password is `adminPassword`). */
  adminCreated: boolean;
  /** Passwords of the service users created now. */
  newServicePasswords: Record<string, string>;
}

/** A random password: 24 url-safe characters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `keystone-manage bootstrap`, for the whole cloud: the `Default` domain, the `admin` project and
 * user, the roles admin → member → reader (each implying the next), admin on the admin project and
 * on the system, the `service` role and project with a user per service, and a catalog entry
 * with public, internal and admin endpoints for every running service. Idempotent.
 */
export async function bootstrap(port: BootstrapPort, input: BootstrapInput): Promise<BootstrapResult> {
  await port.ensureDomain('default', 'Default');
  const adminProjectId = await port.ensureProject(
    'admin',
    'default',
    'Bootstrap project for initializing the cloud.',
  );
  const serviceProjectId = await port.ensureProject('service', 'default', 'Project of the service users.');
  const admin = await port.ensureRole('admin');
  const member = await port.ensureRole('member');
  const reader = await port.ensureRole('reader');
  const service = await port.ensureRole('service');
  await port.ensureImpliedRole(admin, member);
  await port.ensureImpliedRole(member, reader);
  // Object storage's reseller admin reaches every account (devstack creates it with Swift).
  if (input.endpoints.some((e) => e.type === 'object-store')) await port.ensureRole('ResellerAdmin');

  // Each new user costs a bcrypt hash (a quarter second at Keystone's 12 rounds): made side by
  // side, the hashes share the thread pool's cores instead of running one after another.
  const servicePasswords = input.serviceUsers.map(
    (name) => [name, input.knownServicePasswords[name] ?? generatePassword()] as const,
  );
  const [adminUser, ...serviceUsers] = await Promise.all([
    port.ensureUser('admin', 'default', input.adminPassword),
    ...servicePasswords.map(([name, password]) => port.ensureUser(name, 'default', password)),
  ]);
  await port.ensureProjectGrant(adminUser!.id, adminProjectId, admin);
  await port.ensureSystemGrant(adminUser!.id, admin);

  const newServicePasswords: Record<string, string> = {};
  for (const [i, [name, password]] of servicePasswords.entries()) {
    const user = serviceUsers[i]!;
    if (user.created) newServicePasswords[name] = password;
    await port.ensureProjectGrant(user.id, serviceProjectId, service);
    await port.ensureProjectGrant(user.id, serviceProjectId, admin);
    // Services read unified limits across projects with a system-scoped token (oslo.limit).
    await port.ensureSystemGrant(user.id, reader);
  }

  await port.ensureRegion(input.regionId);
  for (const e of input.endpoints) {
    const serviceId = await port.ensureService(e.type, e.name);
    for (const iface of ['public', 'internal', 'admin'] as const)
      await port.ensureEndpoint(serviceId, iface, e.url, input.regionId);
  }
  return {
    adminUserId: adminUser!.id,
    adminProjectId,
    adminCreated: adminUser!.created,
    newServicePasswords,
  };
}
