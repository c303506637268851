import { createHash } from 'node:crypto';
import type { SwiftRequest } from '../../common/swift-http';

/** What a SigV4-signed request claims: who, the scope, and the string the signature covers. */
export interface S3Signed {
  access: string;
  signature: string;
  /** The string to sign, as identity's s3tokens checks it. */
  stringToSign: string;
  /** The signed time, for the 15-minute window (header) or the presigned expiry. */
  date: Date;
  expires?: number;
}

/** S3's URI encoding: RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
function uriEncode(s: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function parseAmzDate(v: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

/** Whether a request carries an S3 signature (header or presigned URL). */
export function isS3Request(req: SwiftRequest): boolean {
  const auth = req.headers.authorization ?? '';
  return auth.startsWith('AWS4-HMAC-SHA256 ') || req.query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256';
}

/**
 * Rebuilds SigV4's canonical request and string to sign from the request as received (the raw
 * path, sorted query, the signed headers); undefined when the signature fields are malformed.
 */
export function signedRequest(req: SwiftRequest, rawPath: string): S3Signed | undefined {
  const presigned = req.query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256';
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string | undefined;
  if (presigned) {
    credential = req.query.get('X-Amz-Credential') ?? '';
    signedHeaders = req.query.get('X-Amz-SignedHeaders') ?? '';
    signature = req.query.get('X-Amz-Signature') ?? '';
    amzDate = req.query.get('X-Amz-Date') ?? undefined;
  } else {
    const m =
      /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/.exec(
        req.headers.authorization ?? '',
      );
    if (!m) return undefined;
    [credential, signedHeaders, signature] = [m[1]!, m[2]!, m[3]!];
    amzDate = req.headers['x-amz-date'];
  }
  const scopeParts = credential.split('/');
  if (scopeParts.length !== 5 || scopeParts[4] !== 'aws4_request' || !signature || !signedHeaders)
    return undefined;
  const [access, day, region, service] = scopeParts as [string, string, string, string];
  const date = parseAmzDate(amzDate) ?? (req.headers.date ? new Date(req.headers.date) : undefined);
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const query = [...req.query.entries()]
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const headers = names.map((h) => `${h}:${(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payload = presigned
    ? 'UNSIGNED-PAYLOAD'
    : (req.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD');
  const canonical = [req.method, rawPath, query, headers, signedHeaders, payload].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate ?? '',
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const expires = presigned ? Number(req.query.get('X-Amz-Expires') ?? 'NaN') : undefined;
  return { access, signature, stringToSign, date, expires };
}
