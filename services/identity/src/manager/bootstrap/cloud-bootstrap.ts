import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { bootstrap, generatePassword } from './bootstrap';
import type { BootstrapPort } from './bootstrap-port';
import { writeClientFiles } from './client-files';

/** What the running cloud tells bootstrap. */
export interface CloudBootstrapInput {
  dataDir: string;
  regionId: string;
  /** `[identity] admin_password`; empty keeps the existing one or generates one. */
  configuredAdminPassword: string;
  endpoints: readonly { type: string; name: string; catalogUrl: string }[];
}

/** The admin password clouds.yaml already holds, if any. */
function existingAdminPassword(dataDir: string): string | undefined {
  const path = join(dataDir, 'clouds.yaml');
  if (!existsSync(path)) return undefined;
  const doc = parse(readFileSync(path, 'utf8')) as {
    clouds?: { nimbus?: { auth?: { password?: string } } };
  } | null;
  return doc?.clouds?.nimbus?.auth?.password;
}

/**
 * Bootstraps identity for the running cloud (every endpoint in the catalog, a user per other
 * service) and writes clouds.yaml, openrc and the service users' passwords (service-users.yaml)
 * into the data directory, all readable by the owner only. Returns how to use them.
 */
export async function bootstrapCloud(port: BootstrapPort, input: CloudBootstrapInput): Promise<string> {
  const adminPassword =
    input.configuredAdminPassword || existingAdminPassword(input.dataDir) || generatePassword();
  const usersFile = join(input.dataDir, 'service-users.yaml');
  const known = existsSync(usersFile)
    ? ((parse(readFileSync(usersFile, 'utf8')) as Record<string, string> | null) ?? {})
    : {};
  const identity = input.endpoints.find((e) => e.type === 'identity');
  if (!identity) throw new Error('bootstrap needs the identity endpoint');
  const result = await bootstrap(port, {
    adminPassword,
    regionId: input.regionId,
    endpoints: input.endpoints.map((e) => ({ type: e.type, name: e.name, url: e.catalogUrl })),
    serviceUsers: input.endpoints.filter((e) => e.type !== 'identity').map((e) => e.name),
    knownServicePasswords: known,
  });
  if (Object.keys(result.newServicePasswords).length) {
    writeFileSync(usersFile, stringify({ ...known, ...result.newServicePasswords }), { mode: 0o600 });
    chmodSync(usersFile, 0o600);
  }
  return writeClientFiles(input.dataDir, {
    authUrl: identity.catalogUrl,
    password: adminPassword,
    regionId: input.regionId,
  });
}
