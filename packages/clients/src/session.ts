import type { CatalogEntry } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import { EndpointNotFound, faultMessage } from './http-error';
import type { EndpointSource } from './rest-client';

/** How a session authenticates against identity v3. */
export type SessionAuth =
  | {
      kind: 'password';
      username: string;
      password: string;
      userDomainName: string;
      projectName: string;
      projectDomainName: string;
    }
  /** System scope (`all`): what reading limits across projects needs (oslo.limit's connection). */
  | { kind: 'system'; username: string; password: string; userDomainName: string }
  | { kind: 'token'; token: string; projectId?: string };

/** A catalog interface. */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/** Which endpoint of a service type to use: the first interface listed that the region has. */
export interface EndpointFilter {
  /** Interfaces in order of preference (keystoneauth's `valid_interfaces`); default `public`. */
  interface?: EndpointInterface | readonly EndpointInterface[];
  /** Region id or name; default any. */
  region?: string;
}

/** Where and how a session finds endpoints. */
export interface SessionOptions extends EndpointFilter {
  authUrl: string;
  auth: SessionAuth;
  /** Re-authenticate this long before the token expires. */
  refreshSeconds?: number;
  /** Seconds to wait for identity's answer to an authentication (default 30). */
  timeoutSeconds?: number;
}

/**
 * A keystoneauth-like session: authenticates with identity v3, keeps the token and catalog, and
 * re-authenticates shortly before expiry or after a 401. `endpointSource(type)` feeds a RestClient.
 */
export class Session {
  private current: Promise<{ token: string; expiresAt: number; catalog: CatalogEntry[] }> | undefined;

  constructor(private readonly options: SessionOptions) {}

  /** A token valid for at least `refreshSeconds` more. */
  async token(): Promise<string> {
    return (await this.auth()).token;
  }

  invalidate(): void {
    this.current = undefined;
  }

  /** The URL of a service's endpoint in the catalog (the session's filter, or `filter` where it says otherwise). */
  async endpoint(type: string, filter: EndpointFilter = {}): Promise<string> {
    const { catalog } = await this.auth();
    const wanted = filter.interface ?? this.options.interface ?? 'public';
    const interfaces: readonly EndpointInterface[] = typeof wanted === 'string' ? [wanted] : wanted;
    const region = filter.region ?? this.options.region;
    const entry = catalog.find((c) => c.type === type);
    for (const iface of interfaces) {
      const ep = entry?.endpoints.find(
        (e) => e.interface === iface && (!region || e.region_id === region || e.region === region),
      );
      if (ep) return ep.url;
    }
    throw new EndpointNotFound(type, interfaces, region);
  }

  /** The id of a service in the catalog (unified limits are registered against it). */
  async serviceId(type: string): Promise<string> {
    const { catalog } = await this.auth();
    const entry = catalog.find((c) => c.type === type);
    if (!entry) throw new UnauthorizedError(`No service of type ${type} in the catalog`);
    return entry.id;
  }

  /** An EndpointSource for one service type. */
  endpointSource(type: string, filter: EndpointFilter = {}): EndpointSource {
    return {
      endpoint: () => this.endpoint(type, filter),
      token: () => this.token(),
      invalidate: () => this.invalidate(),
    };
  }

  private auth(): Promise<{ token: string; expiresAt: number; catalog: CatalogEntry[] }> {
    const refreshMs = (this.options.refreshSeconds ?? 60) * 1000;
    const pending = this.current;
    if (pending) {
      return pending.then((t) => (t.expiresAt - refreshMs > Date.now() ? t : this.fresh()));
    }
    return this.fresh();
  }

  private fresh(): Promise<{ token: string; expiresAt: number; catalog: CatalogEntry[] }> {
    const attempt = this.issue();
    this.current = attempt;
    attempt.catch(() => {
      if (this.current === attempt) this.current = undefined;
    });
    return attempt;
  }

  private async issue(): Promise<{ token: string; expiresAt: number; catalog: CatalogEntry[] }> {
    const a = this.options.auth;
    const body =
      a.kind === 'token'
        ? {
            auth: {
              identity: { methods: ['token'], token: { id: a.token } },
              ...(a.projectId ? { scope: { project: { id: a.projectId } } } : {}),
            },
          }
        : {
            auth: {
              identity: {
                methods: ['password'],
                password: {
                  user: { name: a.username, password: a.password, domain: { name: a.userDomainName } },
                },
              },
              scope:
                a.kind === 'system'
                  ? { system: { all: true } }
                  : { project: { name: a.projectName, domain: { name: a.projectDomainName } } },
            },
          };
    const res = await fetch(`${this.options.authUrl.replace(/\/$/, '')}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout((this.options.timeoutSeconds ?? 30) * 1000),
    });
    const text = await res.text();
    if (res.status !== 201)
      throw new UnauthorizedError(`Authentication at ${this.options.authUrl} failed: ${faultMessage(text)}`);
    const token = res.headers.get('x-subject-token');
    const parsed = JSON.parse(text) as { token: { expires_at: string; catalog?: CatalogEntry[] } };
    if (!token) throw new UnauthorizedError('Identity answered without X-Subject-Token');
    return { token, expiresAt: Date.parse(parsed.token.expires_at), catalog: parsed.token.catalog ?? [] };
  }
}
