import { type ErrorCategory, NimbusError } from '@nimbus/errors';

const byStatus: Record<number, ErrorCategory> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  410: 'gone',
  411: 'length_required',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  422: 'unprocessable',
  429: 'over_limit',
  501: 'not_implemented',
  503: 'unavailable',
  504: 'timeout',
};

/** An error answer from another service, kept as a domain error of the same category. */
export class RemoteServiceError extends NimbusError {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly service: string,
    readonly requestId: string | undefined,
    options: { code?: string; cause?: unknown } = {},
  ) {
    super(byStatus[httpStatus] ?? (httpStatus >= 500 ? 'unavailable' : 'bad_request'), message, {
      code: options.code ?? `REMOTE_${codeName(service)}_${httpStatus}`,
      cause: options.cause,
    });
  }
}

/** The other service could not be reached (connection refused or reset), after any retries. */
export class ServiceUnreachable extends RemoteServiceError {
  constructor(service: string, cause: unknown) {
    super(
      503,
      `${service} is unreachable: ${(cause as Error)?.message ?? String(cause)}`,
      service,
      undefined,
      {
        code: `REMOTE_${codeName(service)}_UNREACHABLE`,
        cause,
      },
    );
  }
}

/** The other service did not answer within the call's timeout. */
export class ServiceTimeout extends RemoteServiceError {
  constructor(
    service: string,
    readonly timeoutSeconds: number,
  ) {
    super(504, `${service} did not answer within ${timeoutSeconds} seconds`, service, undefined, {
      code: `REMOTE_${codeName(service)}_TIMEOUT`,
    });
  }
}

/** The catalog has no endpoint of a service type for the wanted interface and region. */
export class EndpointNotFound extends NimbusError {
  constructor(
    readonly serviceType: string,
    readonly interfaces: readonly string[],
    readonly region: string | undefined,
  ) {
    super(
      'unavailable',
      `No ${interfaces.join(' or ')} endpoint for service type ${serviceType}${region ? ` in region ${region}` : ''} in the catalog`,
      { code: 'CLIENT_ENDPOINT_NOT_FOUND' },
    );
  }
}

function codeName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** Pulls the human message out of any OpenStack fault body (Keystone, Nova, Neutron, WebOb...). */
export function faultMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const inner = (body.error ?? body.NeutronError ?? Object.values(body)[0]) as
      | Record<string, unknown>
      | string
      | undefined;
    if (typeof inner === 'object' && inner && typeof inner.message === 'string') return inner.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: HTML or plain text
  }
  return text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}
