import type { Credentials, TokenValidator } from '@nimbus/auth';
import type { Logger } from '@nimbus/logging';
import type { FaultRenderer } from './fault-renderers';
import type { HeaderSpelling } from './header-spelling';
import type { MicroversionSpec } from './microversion';
import type { Route } from './route';
import type { ValidationMessageFormatter } from './validation';

/** Checks a policy rule for a caller; throws ForbiddenError on denial. The service's enforcer implements it. */
export interface PolicyCheck {
  authorize(action: string, target: Record<string, unknown>, credentials: Credentials): void;
  allowed(action: string, target: Record<string, unknown>, credentials: Credentials): boolean;
}

/** Everything the HTTP layer needs to serve one service's API. */
export interface HttpServiceSpec<S = unknown> {
  /** Service name for logs and metrics (identity, compute...). */
  name: string;
  routes: readonly Route[];
  /** The service's upstream error body style. */
  faults: FaultRenderer;
  validationMessage?: ValidationMessageFormatter;
  microversions?: MicroversionSpec;
  /** Largest accepted request body; default 112 KiB as oslo's sizelimit middleware. */
  bodyLimitBytes?: number;
  /**
   * Seconds a request may go unanswered once its body stopped arriving (`[DEFAULT]
   * request_timeout`): past it the client gets a logged 503 fault (408 when the body itself
   * stalled) and the connection is closed. Covers hijacked replies too. Default 300; 0 disables.
   */
  requestTimeoutSeconds?: number;
  /**
   * How response header names are written on the wire: upstream's spellings, declared once per
   * service (`titleCaseSpelling()` for Swift, a `tableSpelling([...])` for the others). Default:
   * as handlers write them (lower case).
   */
  headerSpelling?: HeaderSpelling;
  /** Headers that carry the request id in responses; default `x-openstack-request-id`. */
  requestIdHeaders?: readonly string[];
  /** How a URL that cannot be decoded (invalid UTF-8) is answered; default a 400 fault. */
  badUrl?: { status: number; message: string };
  /** Makes request ids; default `req-<uuid>` (Swift's are `tx...` transaction ids). */
  newRequestId?: () => string;
  /** Content types parsed as JSON besides application/json (Glance's JSON-patch type). */
  jsonContentTypes?: readonly string[];
  /**
   * A body sent without Content-Type is JSON (Neutron reads any body as JSON; Tempest's clients
   * send some updates with no headers at all). Default: such a body is refused with 415.
   */
  untypedBodyIsJson?: boolean;
  /** Content types passed through unparsed to streaming routes; `*` for all (Swift). */
  streamContentTypes?: readonly string[] | '*';
  tokenValidator?: TokenValidator;
  policy?: PolicyCheck;
  /** The service's dependencies, handed to controllers as `req.services`. */
  services: S;
  logger: Logger;
  /** Answers `/healthcheck`; default always healthy. */
  healthy?: () => Promise<boolean>;
  /** Prefix to strip-free mount (rarely needed); routes carry full paths. */
  trustProxyHeaders?: boolean;
}

/** 112 KiB: oslo.middleware's default max_request_body_size. */
export const DEFAULT_BODY_LIMIT_BYTES = 114_688;
