import type { Credentials } from '@nimbus/auth';
import { UnauthorizedError } from '@nimbus/errors';
import type { Logger } from '@nimbus/logging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiRequest } from './api-request';
import type { HttpServiceSpec } from './http-service-spec';
import type { Microversion } from './microversion';

const GLOBAL_REQUEST_ID = /^req-[0-9a-f-]{36}$/;

/**
 * The ApiRequest handed to controllers. A class, so that a request costs one small object and no
 * closures: it is built on every call of every API.
 */
export class HttpApiRequest<S> implements ApiRequest<any, S> {
  constructor(
    readonly raw: FastifyRequest,
    readonly reply: FastifyReply,
    private readonly spec: HttpServiceSpec<S>,
    readonly microversion: Microversion,
    readonly maybeCredentials: Credentials | undefined,
  ) {}

  get method(): string {
    return this.raw.method;
  }
  get url(): string {
    return this.raw.url;
  }
  get path(): string {
    const q = this.raw.url.indexOf('?');
    return q < 0 ? this.raw.url : this.raw.url.slice(0, q);
  }
  get params(): Record<string, string> {
    return this.raw.params as Record<string, string>;
  }
  get query(): Record<string, string | string[]> {
    return (this.raw.query ?? {}) as Record<string, string | string[]>;
  }
  get body(): any {
    return this.raw.body;
  }
  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }
  get requestId(): string {
    return this.raw.id;
  }
  get globalRequestId(): string | undefined {
    const g = this.raw.headers['x-openstack-request-id'];
    return typeof g === 'string' && GLOBAL_REQUEST_ID.test(g) ? g : undefined;
  }
  get credentials(): Credentials {
    if (!this.maybeCredentials) throw new UnauthorizedError();
    return this.maybeCredentials;
  }
  get baseUrl(): string {
    return `${this.raw.protocol}://${this.raw.headers.host ?? this.raw.hostname}`;
  }
  get services(): S {
    return this.spec.services;
  }
  get log(): Logger {
    return this.spec.logger;
  }

  authorize(action: string, target: Record<string, unknown> = {}): void {
    if (!this.spec.policy) return;
    if (!this.maybeCredentials) throw new UnauthorizedError();
    this.spec.policy.authorize(action, target, this.maybeCredentials);
  }

  allowed(action: string, target: Record<string, unknown> = {}): boolean {
    if (!this.spec.policy) return true;
    return this.maybeCredentials ? this.spec.policy.allowed(action, target, this.maybeCredentials) : false;
  }
}
