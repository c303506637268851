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
  ) {
    super(byStatus[httpStatus] ?? (httpStatus >= 500 ? 'unavailable' : 'bad_request'), message, { code: `REMOTE_${service.toUpperCase()}_${httpStatus}` });
  }
}

/** Pulls the human message out of any OpenStack fault body (Keystone, Nova, Neutron, WebOb...). */
export function faultMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const inner = (body.error ?? body.NeutronError ?? Object.values(body)[0]) as Record<string, unknown> | string | undefined;
    if (typeof inner === 'object' && inner && typeof inner.message === 'string') return inner.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: HTML or plain text
  }
  return text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500);
}
