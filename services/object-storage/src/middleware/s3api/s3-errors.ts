import type { SwiftResponse } from '../../common/swift-http';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** S3's error codes, with their status and message. */
const CODES: Record<string, [number, string]> = {
  AccessDenied: [403, 'Access Denied.'],
  SignatureDoesNotMatch: [
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
  InvalidAccessKeyId: [403, 'The AWS Access Key Id you provided does not exist in our records.'],
  RequestTimeTooSkewed: [403, 'The difference between the request time and the current time is too large.'],
  AuthorizationHeaderMalformed: [400, 'The authorization header is malformed.'],
  NoSuchBucket: [404, 'The specified bucket does not exist.'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchUpload: [404, 'The specified multipart upload does not exist.'],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty'],
  BucketAlreadyOwnedByYou: [
    409,
    'Your previous request to create the named bucket succeeded and you already own it.',
  ],
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  InvalidArgument: [400, 'Invalid Argument'],
  InvalidPart: [400, 'One or more of the specified parts could not be found.'],
  InvalidPartOrder: [400, 'The list of parts was not in ascending order.'],
  MalformedXML: [
    400,
    'The XML you provided was not well-formed or did not validate against our published schema.',
  ],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed object size.'],
  PreconditionFailed: [412, 'At least one of the preconditions you specified did not hold.'],
  InvalidRange: [416, 'The requested range is not satisfiable'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented.'],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  ServiceUnavailable: [503, 'Please reduce your request rate.'],
};

/** An S3 error body: `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
export function s3Error(
  code: keyof typeof CODES | string,
  resource: string,
  requestId: string,
): SwiftResponse {
  const [status, message] = CODES[code] ?? [500, 'We encountered an internal error.'];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><Resource>${esc(resource)}</Resource><RequestId>${esc(requestId)}</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
}

/** The S3 error for a Swift status on a bucket or a key. */
export function fromSwiftStatus(status: number, onKey: boolean): string {
  if (status === 404) return onKey ? 'NoSuchKey' : 'NoSuchBucket';
  if (status === 401 || status === 403) return 'AccessDenied';
  if (status === 409) return 'BucketNotEmpty';
  if (status === 412) return 'PreconditionFailed';
  if (status === 416) return 'InvalidRange';
  if (status === 413) return 'EntityTooLarge';
  if (status === 422) return 'BadDigest';
  if (status === 503) return 'ServiceUnavailable';
  return 'InternalError';
}

export { esc as xmlEscape };
