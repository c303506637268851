import { BlockStorageClient } from './block-storage-client';
import { ComputeClient } from './compute-client';
import { IdentityClient } from './identity-client';
import { ImageClient } from './image-client';
import { NetworkClient } from './network-client';
import { ObjectStoreClient } from './object-store-client';
import { PlacementClient } from './placement-client';
import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';
import type { RetryPolicy } from './retry-policy';
import { type EndpointFilter, Session } from './session';

/** Who a service is to the others (`[service_user]`, or the user identity's bootstrap made for it). */
export interface ServiceUser {
  /** Identity v3 root (`http://host:5000/v3`). */
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
}

/** How a process role's clients authenticate and pick endpoints. */
export interface ServiceClientsOptions extends EndpointFilter {
  /**
   * The service user, asked on first use and again until it answers: identity's URL or the
   * bootstrap password may be known only once the cloud is up, so it may throw until then.
   */
  user: () => ServiceUser;
  /** Identity's v3 root, when it is known without the whole user (anonymous calls need no password); default the user's `authUrl`. */
  identityUrl?: () => string;
  /** Seconds each call waits for an answer's headers (default 60; none for streamed uploads). */
  timeoutSeconds?: number;
  /** Retries of idempotent calls on connection errors. */
  retry?: Partial<RetryPolicy>;
}

/** The service user's two sessions, made on first use. */
class ServiceSessions {
  private projectSession: Session | undefined;
  private systemSession: Session | undefined;

  constructor(readonly options: ServiceClientsOptions) {}

  /** Project-scoped (the service project): the token for calls and the catalog. */
  project(): Session {
    if (this.projectSession) return this.projectSession;
    const u = this.options.user();
    this.projectSession = new Session({
      authUrl: u.authUrl,
      auth: {
        kind: 'password',
        username: u.username,
        password: u.password,
        userDomainName: u.userDomainName,
        projectName: u.projectName,
        projectDomainName: u.projectDomainName,
      },
      interface: this.options.interface,
      region: this.options.region,
    });
    return this.projectSession;
  }

  /** System-scoped: what reading unified limits across projects needs. */
  system(): Session {
    if (this.systemSession) return this.systemSession;
    const u = this.options.user();
    this.systemSession = new Session({
      authUrl: u.authUrl,
      auth: { kind: 'system', username: u.username, password: u.password, userDomainName: u.userDomainName },
    });
    return this.systemSession;
  }
}

/** On whose behalf a view of the clients calls, and where. */
interface View {
  /** The user's token, sent as X-Auth-Token with the service's as X-Service-Token. */
  userToken?: string;
  requestId?: string;
  filter: EndpointFilter;
}

/**
 * The service clients of one service in one process, handed to its roles by the runner: typed
 * clients by service (`identity`, `image`, `objectStore`) and `forType` for the rest, each found
 * in the catalog by service type, interface and region, and authenticated as the service user.
 * `actingFor` gives the same clients sending the user's token with the service's own as
 * `X-Service-Token` (Nova → Neutron, Cinder → Glance); `at` picks another region or interface.
 * Identity itself is addressed at the service user's auth URL, the root of the catalog.
 * Idempotent calls are retried on connection errors; every call has a timeout.
 */
export class ServiceClients {
  private identityClient: IdentityClient | undefined;
  private imageClient: ImageClient | undefined;
  private objectStoreClient: ObjectStoreClient | undefined;
  private sessions: ServiceSessions;
  private view: View = { filter: {} };

  constructor(private readonly options: ServiceClientsOptions) {
    this.sessions = new ServiceSessions(options);
  }

  /** Another view on the same sessions. */
  private derive(view: View): ServiceClients {
    const clients = new ServiceClients(this.options);
    clients.sessions = this.sessions;
    clients.view = view;
    return clients;
  }

  /** Identity: token validation, s3tokens/ec2tokens, unified limits. */
  get identity(): IdentityClient {
    const identityUrl = async () => this.options.identityUrl?.() ?? this.options.user().authUrl;
    this.identityClient ??= new IdentityClient(this.source(identityUrl), {
      ...this.restOptions(),
      system: {
        endpoint: identityUrl,
        token: () => this.sessions.system().token(),
        invalidate: () => this.sessions.system().invalidate(),
      },
    });
    return this.identityClient;
  }

  /** Image (Glance v2). */
  get image(): ImageClient {
    this.imageClient ??= new ImageClient(this.endpointSource('image'), this.restOptions());
    return this.imageClient;
  }

  /** Object storage (Swift v1), in the account of the token's project. */
  get objectStore(): ObjectStoreClient {
    this.objectStoreClient ??= new ObjectStoreClient(this.endpointSource('object-store'), this.restOptions());
    return this.objectStoreClient;
  }

  /** Placement (resource providers, inventories, candidates, allocations). */
  get placement(): PlacementClient {
    return new PlacementClient(this.endpointSource('placement'), this.restOptions());
  }

  /** Network (Neutron v2.0: networks, ports and their binding, security groups). */
  /** Block storage (Cinder v3), at the catalog URL of the token's project. */
  get blockStorage(): BlockStorageClient {
    return new BlockStorageClient(this.endpointSource('block-storage'), this.restOptions());
  }

  get network(): NetworkClient {
    return new NetworkClient(this.endpointSource('network'), this.restOptions());
  }

  /** Compute (Nova v2.1: external events, servers). */
  get compute(): ComputeClient {
    return new ComputeClient(this.endpointSource('compute'), this.restOptions());
  }

  /** A plain REST client for a service type without a typed client yet (paths from its catalog URL). */
  forType(type: string): RestClient {
    return new RestClient(type, this.endpointSource(type), this.restOptions());
  }

  /** Endpoint and tokens of a service type, for a client built elsewhere. */
  endpointSource(type: string): EndpointSource {
    return this.source(() => this.sessions.project().endpoint(type, this.view.filter));
  }

  /**
   * The same clients acting for a user: `X-Auth-Token` is the user's token and `X-Service-Token`
   * the service's own, as keystonemiddleware expects from a service forwarding a user's request.
   */
  actingFor(user: string | { token: string }, options: { requestId?: string } = {}): ServiceClients {
    const userToken = typeof user === 'string' ? user : user.token;
    return this.derive({ ...this.view, userToken, ...options });
  }

  /** `actingFor` the caller of an API request, passing its global request id on. */
  forRequest(req: {
    credentials: { token: string };
    requestId?: string;
    globalRequestId?: string;
  }): ServiceClients {
    return this.actingFor(req.credentials, { requestId: req.globalRequestId ?? req.requestId });
  }

  /** The same clients at another region or interface (glance-download's `glance_region`). */
  at(filter: EndpointFilter): ServiceClients {
    return this.derive({ ...this.view, filter: { ...this.view.filter, ...filter } });
  }

  /** Clients of another user with the same endpoint choice (a store configured with its own account). */
  withUser(user: () => ServiceUser): ServiceClients {
    const clients = new ServiceClients({ ...this.options, user, identityUrl: undefined });
    clients.view = { filter: this.view.filter };
    return clients;
  }

  /** The service user, as resolved now (throws while it is not known yet). */
  serviceUser(): ServiceUser {
    return this.options.user();
  }

  /** The service's own project-scoped token. */
  serviceToken(): Promise<string> {
    return this.sessions.project().token();
  }

  /** The id of a service type in the catalog (unified limits are registered against it). */
  serviceId(type: string): Promise<string> {
    return this.sessions.project().serviceId(type);
  }

  private source(endpoint: () => Promise<string>): EndpointSource {
    const { userToken } = this.view;
    const service = () => this.sessions.project();
    return {
      endpoint,
      token: userToken ? async () => userToken : () => service().token(),
      ...(userToken ? { serviceToken: () => service().token() } : {}),
      invalidate: () => service().invalidate(),
    };
  }

  private restOptions(): RestClientOptions {
    return {
      ...(this.options.timeoutSeconds !== undefined ? { timeoutSeconds: this.options.timeoutSeconds } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
      ...(this.view.requestId ? { requestId: this.view.requestId } : {}),
    };
  }
}
