import type { Credentials, TokenValidator, ValidateOptions } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import { RemoteServiceError } from './http-error';
import { LimitsClient } from './limits-client';
import { type EndpointSource, RestClient, type RestClientOptions, type RestResponse } from './rest-client';
import { type KeystoneToken, toCredentials } from './token-credentials';

/** What an S3 client signed, as identity's `POST /v3/s3tokens` checks it (swift's s3token sends these). */
export interface S3TokenRequest {
  /** The EC2 credential's access key. */
  access: string;
  /** The string to sign, base64. */
  token: string;
  signature: string;
}

/** What an EC2-style client signed, as `POST /v3/ec2tokens` checks it. */
export interface Ec2TokenRequest {
  access: string;
  signature: string;
  host: string;
  verb: string;
  path: string;
  params: Record<string, string>;
  headers?: Record<string, string>;
  body_hash?: string;
}

/** A token identity issued for a signed request, with its document. */
export interface IssuedToken {
  token: string;
  document: KeystoneToken;
}

/**
 * The identity calls other services make: validating a caller's token (keystonemiddleware's
 * remote path), turning S3/EC2 signatures into tokens (s3token, ec2token), and reading unified
 * limits (oslo.limit). The endpoint is identity's v3 root (`http://host:5000/v3`).
 */
export class IdentityClient {
  private readonly rest: RestClient;
  private readonly anonymous: RestClient;
  private readonly limits: LimitsClient | undefined;

  constructor(
    /** The service's own project-scoped token at identity's v3 root. */
    source: EndpointSource,
    options: RestClientOptions & {
      /** A system-scoped source for reading limits across projects (oslo.limit's connection). */
      system?: EndpointSource;
    } = {},
  ) {
    this.rest = new RestClient('identity', source, options);
    this.anonymous = new RestClient(
      'identity',
      { endpoint: () => source.endpoint(), token: async () => undefined },
      options,
    );
    this.limits = options.system && new LimitsClient(options.system, options);
  }

  /**
   * The credentials of a caller's token. Throws UnauthorizedError when identity does not accept it,
   * ServiceUnreachable (503) when identity cannot be reached.
   */
  async validateToken(token: string, options?: ValidateOptions): Promise<Credentials> {
    if (!token || token.length > 8192) throw new UnauthorizedError();
    let res: RestResponse;
    try {
      res = await this.rest.request({
        method: 'GET',
        path: '/auth/tokens',
        headers: { 'x-subject-token': token },
        query: {
          ...(options?.allowExpired ? { allow_expired: 'true' } : {}),
          ...(options?.includeCatalog ? {} : { nocatalog: 'true' }),
        },
        expect: [401, 404],
      });
    } catch (err) {
      if (err instanceof RemoteServiceError && err.httpStatus < 500)
        throw new UnauthorizedError(`Token validation failed: ${err.message}`);
      throw err;
    }
    const text = await res.text();
    if (res.status !== 200) throw new UnauthorizedError();
    return toCredentials(token, (JSON.parse(text) as { token: KeystoneToken }).token);
  }

  /** This client as a TokenValidator (wrap it in a CachingTokenValidator). */
  tokenValidator(): TokenValidator {
    return { validate: (token, options) => this.validateToken(token, options) };
  }

  /** A token for an S3 request signed with an EC2 credential; RemoteServiceError (401) when the signature does not match. */
  s3Token(credentials: S3TokenRequest, requestId?: string): Promise<IssuedToken> {
    return this.signed('/s3tokens', credentials, requestId);
  }

  /** A token for an EC2-signed request; RemoteServiceError (401) when the signature does not match. */
  ec2Token(credentials: Ec2TokenRequest, requestId?: string): Promise<IssuedToken> {
    return this.signed('/ec2tokens', credentials, requestId);
  }

  /** See LimitsClient.limitsFor; needs the system-scoped source. */
  limitsFor(
    projectId: string,
    serviceId: string,
    resources: readonly string[],
    regionId?: string,
  ): Promise<Record<string, number>> {
    if (!this.limits) throw new Error('IdentityClient: reading limits needs a system-scoped source');
    return this.limits.limitsFor(projectId, serviceId, resources, regionId);
  }

  // The signature is the credential: these calls carry no token of their own.
  private async signed(path: string, credentials: object, requestId?: string): Promise<IssuedToken> {
    const res = await this.anonymous.request({ method: 'POST', path, json: { credentials }, requestId });
    const text = await res.text();
    const token = res.headers.get('x-subject-token');
    if (!token)
      throw new RemoteServiceError(502, 'Identity answered without X-Subject-Token', 'identity', undefined);
    return { token, document: (JSON.parse(text) as { token: KeystoneToken }).token };
  }
}
