import { isNimbusError } from '@nimbus/errors';
import type { Logger } from '@nimbus/logging';
import type { Fault } from './fault-renderers';

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request is too large.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Malformed request body: the body is empty.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Request body size did not match Content-Length.',
  FST_ERR_BAD_URL: 'The requested URL is malformed.',
};

/**
 * Turns any thrown value into a fault: domain errors keep their message and category's status,
 * framework client errors get a plain message, and anything else is a logged 500 that shows the
 * client nothing but the request id.
 */
export function toFault(error: unknown, requestId: string, logger: Logger, accept?: string): Fault {
  if (isNimbusError(error)) {
    return { status: error.status, message: error.message, type: error.type, detail: error.detail, requestId, accept, ...headersOf(error.headers) };
  }
  const e = error as { statusCode?: number; code?: string; message?: string; name?: string };
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const message =
      (e.code && FASTIFY_MESSAGES[e.code]) ?? (e.name === 'SyntaxError' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'Malformed request body: invalid JSON.' : (e.message ?? 'Bad request'));
    return { status: e.statusCode === 422 ? 400 : e.statusCode, message, requestId, accept };
  }
  logger.error({ err: error, req: requestId }, 'unexpected error');
  return {
    status: 500,
    message: `An unexpected error prevented the server from fulfilling your request. (request id ${requestId})`,
    requestId,
    accept,
  };
}

function headersOf(headers: Record<string, string> | undefined): { headers?: Record<string, string> } {
  return headers ? { headers } : {};
}
