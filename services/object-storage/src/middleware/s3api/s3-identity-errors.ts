import { NimbusError } from '@nimbus/errors';

/** What an S3 caller is told when identity did not turn its signature into credentials. */
export type S3AuthErrorCode =
  | 'SignatureDoesNotMatch'
  | 'AuthorizationHeaderMalformed'
  | 'AccessDenied'
  | 'ServiceUnavailable'
  | 'InternalError';

/**
 * The S3 error for a failed `s3tokens` call, from the identity client's typed error (its
 * category: the client keeps identity's answer as a NimbusError of the same kind), never from its
 * wording: identity refused the signature or key (401, 403, 404) → SignatureDoesNotMatch;
 * identity found the request malformed (400) → AuthorizationHeaderMalformed; identity could not
 * be reached or answered 5xx → ServiceUnavailable; anything else (not an identity answer at
 * all: a bug) → InternalError.
 */
export function s3ErrorForSignatureCheck(err: unknown): S3AuthErrorCode {
  if (!(err instanceof NimbusError)) return 'InternalError';
  switch (err.category) {
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
      return 'SignatureDoesNotMatch';
    case 'bad_request':
      return 'AuthorizationHeaderMalformed';
    case 'unavailable':
    case 'timeout':
      return 'ServiceUnavailable';
    default:
      return 'InternalError';
  }
}

/**
 * The S3 error for a token identity issued that then did not validate: refused (401, 403, 404)
 * → AccessDenied; identity unreachable or failing → ServiceUnavailable (the caller may retry,
 * its credentials are not at fault); anything else → InternalError.
 */
export function s3ErrorForTokenCheck(err: unknown): S3AuthErrorCode {
  if (!(err instanceof NimbusError)) return 'InternalError';
  switch (err.category) {
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
      return 'AccessDenied';
    case 'unavailable':
    case 'timeout':
      return 'ServiceUnavailable';
    default:
      return 'InternalError';
  }
}
