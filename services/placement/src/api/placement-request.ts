import type { Credentials } from '@nimbus/auth';
import { isNimbusError, UnauthorizedError } from '@nimbus/errors';
import { type ApiReply, type ApiRequest, Microversion, respond, type Route, route } from '@nimbus/http';
import {
  PlacementBadRequest,
  PlacementNotAcceptable,
  PlacementNotFound,
  PlacementUnsupportedMediaType,
  placementCode,
} from '../manager/placement-errors';
import { corsHeaders, corsPreflight } from './cors';
import { renderPlacementFault } from './placement-faults';
import type { PlacementServices } from './placement-services';
import { QueryParams } from './query-params';
import { type Schema, validateJson } from './json-validation';

/** The microversions this Placement speaks (Zed: 1.0 to 1.39). */
export const PLACEMENT_VERSIONS = { min: '1.0', max: '1.39' } as const;

const MIN = Microversion.parse(PLACEMENT_VERSIONS.min)!;
const MAX = Microversion.parse(PLACEMENT_VERSIONS.max)!;

/** Most bytes of a request body read (oslo's sizelimit default). */
const BODY_LIMIT = 114_688;

/**
 * What a Placement controller sees: the negotiated microversion, the caller, the query string as
 * a multi-dict, the body parsed on demand against a schema, and the service's managers.
 */
export class PlacementRequest {
  readonly query: QueryParams;

  constructor(
    readonly api: ApiRequest<unknown, PlacementServices>,
    readonly version: Microversion,
    readonly credentials: Credentials,
  ) {
    const url = api.url;
    const q = url.indexOf('?');
    this.query = new QueryParams(q < 0 ? '' : url.slice(q + 1));
  }

  get params(): Record<string, string> {
    return this.api.params;
  }

  get services(): PlacementServices {
    return this.api.services;
  }

  /** True when the request's microversion is at least `version`. */
  atLeast(version: string): boolean {
    return this.version.atLeast(version);
  }

  /** Checks a policy rule; 403 on denial. */
  authorize(action: string, target?: Record<string, unknown>): void {
    this.services.policy.authorize(
      action,
      target ?? { project_id: this.credentials.projectId ?? null, user_id: this.credentials.userId },
      this.credentials,
    );
  }

  /** Refuses a request whose body is not declared application/json (415). */
  requireJson(): void {
    requireJsonContent(this.api);
  }

  /** Refuses a non-JSON body (415), parses it (400 `Malformed JSON`) and validates it against `schema`. */
  async json<T>(schema: Schema): Promise<T> {
    requireJsonContent(this.api);
    const text = await readBody(this.api);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new PlacementBadRequest(`Malformed JSON: ${(err as Error).message}`);
    }
    validateJson(schema, data, 'JSON does not validate: ');
    return data as T;
  }

  /** Refuses the request (406) when its Accept header rules out JSON. */
  acceptJson(): void {
    const accept = effectiveAccept(this.api);
    const ok = accept.split(',').some((part) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return (
        (q ? Number(q.slice(2)) : 1) > 0 && ['application/json', 'application/*', '*/*'].includes(type.trim())
      );
    });
    if (!ok) throw new PlacementNotAcceptable('Only application/json is provided');
  }
}

function requireJsonContent(api: ApiRequest): void {
  const type = (api.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new PlacementUnsupportedMediaType(
      `The media type ${type || 'None'} is not supported, use application/json`,
    );
  }
}

async function readBody(api: ApiRequest): Promise<string> {
  const body = api.raw.body as unknown;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new PlacementBadRequest('Request is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A controller: returns the reply (or a JSON-able body for 200). */
export type PlacementHandler = (req: PlacementRequest) => Promise<ApiReply | unknown> | ApiReply | unknown;

/** Options of one Placement route. */
export interface PlacementRouteOptions {
  /** First microversion with the route; earlier ones get 404. */
  since?: string;
  /** No authentication (the version document). */
  public?: boolean;
  /** The route takes a JSON body: anything else is refused (415) before the handler runs, as upstream's require_content. */
  json?: boolean;
}

/**
 * Declares a route served the Placement way: microversion negotiated from `OpenStack-API-Version`
 * and announced on every answer, the caller authenticated (Keystone token or noauth2 headers),
 * and every domain error rendered as Placement's error body at the request's microversion.
 */
export function placementRoute(
  method: Route['method'],
  path: string,
  handler: PlacementHandler,
  options: PlacementRouteOptions = {},
): Route {
  return route<unknown, PlacementServices>(method, path, (api) => servePlacement(api, handler, options), {
    optionalAuth: true,
  });
}

async function servePlacement(
  api: ApiRequest<unknown, PlacementServices>,
  handler: PlacementHandler,
  options: PlacementRouteOptions,
): Promise<unknown> {
  try {
    const preflight = corsPreflight(api.services.cors, api.method, api.headers);
    if (preflight) return preflight;
    for (const [k, v] of Object.entries(corsHeaders(api.services.cors, api.headers))) api.reply.header(k, v);
    return await answer(api, handler, options);
  } finally {
    // A body the handler never read (an error came first) is discarded, so the connection stays usable.
    const raw = api.raw.raw;
    if (!raw.complete && !raw.destroyed) raw.resume();
  }
}

async function answer(
  api: ApiRequest<unknown, PlacementServices>,
  handler: PlacementHandler,
  options: PlacementRouteOptions,
): Promise<unknown> {
  let version: Microversion | undefined;
  try {
    version = negotiate(api.headers['openstack-api-version']);
    api.reply.header('openstack-api-version', `placement ${version}`);
    api.reply.header('vary', 'openstack-api-version');
    const credentials = options.public ? anonymous() : authenticate(api);
    const length = api.headers['content-length'];
    if (length !== undefined && Number(length) > 0 && !api.headers['content-type']) {
      throw new PlacementBadRequest('content-type header required when content-length > 0');
    }
    if (options.since && !version.atLeast(options.since))
      throw new PlacementNotFound('The resource could not be found.');
    if (options.json) requireJsonContent(api);
    return await handler(new PlacementRequest(api, version, credentials));
  } catch (err) {
    if (!isNimbusError(err)) throw err;
    if (!version) {
      api.reply.header('openstack-api-version', `placement ${PLACEMENT_VERSIONS.min}`);
      api.reply.header('vary', 'openstack-api-version');
    }
    const contentType = api.headers['content-type'];
    const rendered = renderPlacementFault({
      method: api.method,
      contentType: contentType ? contentType : 'None',
      status: err.status,
      message: err.message,
      requestId: api.requestId,
      code: placementCode(err),
      withCode: (version ?? MIN).atLeast('1.23'),
      range: err instanceof PlacementNotAcceptable ? err.range : undefined,
      // Upstream's request log middleware makes a missing or */* Accept JSON, after microversion checks.
      accept: version ? effectiveAccept(api) : api.headers.accept,
    });
    return respond(err.status, api.method === 'HEAD' ? '' : Buffer.from(rendered.body), {
      'content-type': rendered.contentType,
      ...err.headers,
    });
  }
}

/** The Accept header as upstream handlers see it: absent or any-type means application/json. */
function effectiveAccept(api: ApiRequest): string {
  const accept = api.headers.accept;
  return !accept || accept === '*/*' ? 'application/json' : accept;
}

function negotiate(header: string | string[] | undefined): Microversion {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return MIN;
  let requested: string | undefined;
  for (const part of text.split(',')) {
    const [service, value] = part.trim().split(/\s+/, 2);
    if (service?.toLowerCase() === 'placement') requested = value ?? '';
  }
  if (requested === undefined) return MIN;
  if (requested.toLowerCase() === 'latest') return MAX;
  // Any major.minor parses (0.5 is well formed, merely unsupported: 406, not 400).
  const m = /^(\d+)\.(\d+)$/.exec(requested.trim());
  if (!m) throw new PlacementBadRequest(`invalid version string: ${requested}`);
  const version = new Microversion(Number(m[1]), Number(m[2]));
  if (version.compare(MIN) < 0 || version.compare(MAX) > 0) {
    throw new PlacementNotAcceptable(`Unacceptable version header: ${requested}`, PLACEMENT_VERSIONS);
  }
  return version;
}

function authenticate(api: ApiRequest<unknown, PlacementServices>): Credentials {
  if (api.services.authStrategy === 'noauth2') {
    const token = api.headers['x-auth-token'];
    if (typeof token !== 'string') throw new UnauthorizedError();
    return noauthCredentials(token, api.headers);
  }
  if (!api.maybeCredentials) throw new UnauthorizedError();
  return api.maybeCredentials;
}

/**
 * Upstream's noauth2 strategy (its functional tests' auth): the token is `user[:project]`, the
 * `admin` user is an admin, `X-Roles` replaces the roles, `X-Project-Id` the project, and
 * `OpenStack-System-Scope: all` makes the token system-scoped.
 */
export function noauthCredentials(
  token: string,
  headers: Record<string, string | string[] | undefined>,
): Credentials {
  const sep = token.indexOf(':');
  const userId = sep < 0 ? token : token.slice(0, sep);
  const tokenProject = sep < 0 ? userId : token.slice(sep + 1) || userId;
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const rolesHeader = header('x-roles');
  const roles =
    rolesHeader !== undefined
      ? rolesHeader
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean)
      : userId === 'admin'
        ? ['admin']
        : [];
  const system = header('openstack-system-scope');
  const projectId = header('x-project-id') ?? header('x-tenant-id') ?? (system ? undefined : tokenProject);
  const now = new Date();
  return {
    token,
    userId,
    userName: userId,
    userDomainId: 'default',
    userDomainName: 'Default',
    ...(projectId ? { projectId, projectName: projectId, projectDomainId: 'default' } : {}),
    ...(system === 'all' ? { systemScope: 'all' as const } : {}),
    roles,
    roleIds: roles,
    isAdminProject: false,
    methods: ['token'],
    auditIds: [],
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
  };
}

function anonymous(): Credentials {
  return noauthCredentials('anonymous', {});
}
