import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EndpointSource, Session } from '@nimbus/clients';
import { parse } from 'yaml';

/** The password identity's bootstrap gave a service user (`<data_dir>/service-users.yaml`). */
function bootstrapPassword(dataDir: string, user: string): string {
  try {
    const users = parse(readFileSync(join(dataDir, 'service-users.yaml'), 'utf8')) as Record<string, string>;
    if (users?.[user]) return users[user];
  } catch {
    // no bootstrap file: fall through
  }
  throw new Error(`no password for ${user}: set [image] swift_store_key`);
}

/**
 * The image service's own identity (`project:user`, the glance service user by default): a
 * project-scoped session for the object store and a system-scoped one for reading unified
 * limits. Both are made on first use, once identity is up; until `identityUrl` is known (the
 * configured address, or this cloud's identity once it is ready) they fail.
 */
export class ServiceSessions {
  identityUrl: string | undefined;
  private projectSession: Session | undefined;
  private systemSession: Session | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly user: string,
    private readonly key: string,
    authAddress: string,
  ) {
    this.identityUrl = authAddress || undefined;
  }

  /** The project-scoped session (the service project). */
  project(): Session {
    const { authUrl, username, password, projectName } = this.credentials();
    this.projectSession ??= new Session({
      authUrl,
      auth: {
        kind: 'password',
        username,
        password,
        userDomainName: 'Default',
        projectName,
        projectDomainName: 'Default',
      },
    });
    return this.projectSession;
  }

  /** The system-scoped session. */
  system(): Session {
    const { authUrl, username, password } = this.credentials();
    this.systemSession ??= new Session({
      authUrl,
      auth: { kind: 'system', username, password, userDomainName: 'Default' },
    });
    return this.systemSession;
  }

  /** An endpoint source for one service type whose session is made on first call. */
  endpointSource(type: string, session: () => Session): EndpointSource {
    return {
      endpoint: () => session().endpoint(type),
      token: () => session().token(),
      invalidate: () => session().invalidate(),
    };
  }

  private credentials() {
    if (!this.identityUrl) throw new Error('the image service cannot reach identity yet');
    const [projectName, username] = this.user.includes(':')
      ? this.user.split(':', 2)
      : ['service', this.user];
    return {
      authUrl: this.identityUrl,
      username: username!,
      password: this.key || bootstrapPassword(this.dataDir, username!),
      projectName: projectName!,
    };
  }
}
