import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What an EC2-style client signed, as `POST /v3/ec2tokens` receives it. */
export interface Ec2SignedRequest {
  host: string;
  verb: string;
  path: string;
  params: Record<string, string>;
  headers?: Record<string, string>;
  body_hash?: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * AWS query-string escaping: every UTF-8 byte but the unreserved characters is percent-encoded.
 * Works on bytes, so a lone surrogate (which encodeURIComponent throws on) is read as U+FFFD, as
 * Node encodes it everywhere, and the signature is checked like any other.
 */
function awsQuote(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalQuery(params: Record<string, string>, skip: readonly string[] = []): string {
  return Object.keys(params)
    .filter((k) => !skip.includes(k))
    .sort()
    .map((k) => `${awsQuote(k)}=${awsQuote(String(params[k]))}`)
    .join('&');
}

function hmac(alg: 'sha1' | 'sha256', key: string | Buffer, msg: string | Buffer): Buffer {
  return createHmac(alg, key).update(msg).digest();
}

/** Signature versions 0, 1 and 2 of the EC2 query API. */
function signatureV0to2(secret: string, req: Ec2SignedRequest): string | undefined {
  const p = req.params;
  const version = p.SignatureVersion ?? '2';
  if (version === '0')
    return hmac('sha1', secret, `${p.Action ?? ''}${p.Timestamp ?? ''}`).toString('base64');
  if (version === '1') {
    const text = Object.keys(p)
      .filter((k) => k !== 'Signature')
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
      .map((k) => `${k}${p[k]}`)
      .join('');
    return hmac('sha1', secret, text).toString('base64');
  }
  if (version !== '2') return undefined;
  const alg = p.SignatureMethod === 'HmacSHA1' ? 'sha1' : 'sha256';
  const text = `${req.verb}\n${req.host.toLowerCase()}\n${req.path}\n${canonicalQuery(p, ['Signature'])}`;
  return hmac(alg, secret, text).toString('base64');
}

/** Signature version 4 (AWS4-HMAC-SHA256), from the Authorization header or presigned parameters. */
function signatureV4(secret: string, req: Ec2SignedRequest, stripPort: boolean): string | undefined {
  const headers = req.headers ?? {};
  const header = (name: string) =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const authorization = header('Authorization');
  const authParam = (name: string): string | undefined => {
    if (authorization) {
      const idx = authorization.indexOf(`${name}=`);
      return idx < 0
        ? undefined
        : authorization
            .slice(idx + name.length + 1)
            .split(',')[0]
            ?.trim();
    }
    return req.params[`X-Amz-${name}`];
  };
  const signedHeaders = authParam('SignedHeaders');
  const credential = authParam('Credential');
  const date = header('X-Amz-Date') ?? req.params['X-Amz-Date'];
  if (!signedHeaders || !credential || !date) return undefined;
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase().trim(), String(v).trim()]));
  const headerLines = signedHeaders
    .split(';')
    .filter((h) => lower.has(h))
    .map((h) => `${h}:${h === 'host' && stripPort ? lower.get(h)!.split(':')[0] : lower.get(h)}`);
  const query = req.verb.toUpperCase() === 'POST' ? '' : canonicalQuery(req.params, ['X-Amz-Signature']);
  const canonical = [
    req.verb.toUpperCase(),
    req.path,
    query,
    `${headerLines.join('\n')}\n`,
    signedHeaders,
    req.body_hash ?? '',
  ].join('\n');
  const [, credDate, region, service] = credential.split('/');
  if (!credDate || !region || !service) return undefined;
  const scope = `${credDate}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join(
    '\n',
  );
  let key = hmac('sha256', `AWS4${secret}`, credDate);
  key = hmac('sha256', key, region);
  key = hmac('sha256', key, service);
  key = hmac('sha256', key, 'aws4_request');
  return hmac('sha256', key, toSign).toString('hex');
}

function isV4(req: Ec2SignedRequest): boolean {
  const auth = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return (
    req.params['X-Amz-Algorithm'] === 'AWS4-HMAC-SHA256' || (auth?.startsWith('AWS4-HMAC-SHA256') ?? false)
  );
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks an EC2 request signature against a credential's secret, as Keystone's ec2tokens does:
 * versions 0, 1, 2 and 4, and, as Keystone, once more with the port stripped from the host
 * (old boto versions signed without it). Constant-time comparison.
 */
export function verifyEc2Signature(secret: string, signature: string, req: Ec2SignedRequest): boolean {
  if (!signature) return false;
  const hosts = [req.host, req.host.split(':')[0] ?? req.host];
  for (const [i, host] of hosts.entries()) {
    const r = { ...req, host };
    const expected = isV4(r) ? signatureV4(secret, r, i === 1) : signatureV0to2(secret, r);
    if (expected !== undefined && same(expected, signature)) return true;
  }
  return false;
}

/**
 * Checks an S3 signature as Keystone's s3tokens does: `token` is the base64 string the client
 * signed; AWS4 strings are signed with the key derived from their scope, others with HMAC-SHA1.
 */
export function verifyS3Signature(secret: string, signature: string, stringToSign: Buffer): boolean {
  let expected: string;
  const text = stringToSign.toString('utf8');
  if (text.startsWith('AWS4-HMAC-SHA256')) {
    const parts = text.split('\n');
    if (parts.length !== 4) return false;
    const scope = parts[2]!.split('/');
    if (scope.length !== 4 || scope[3] !== 'aws4_request' || !['s3', 'iam', 'sts'].includes(scope[2]!))
      return false;
    let key = hmac('sha256', `AWS4${secret}`, scope[0]!);
    key = hmac('sha256', key, scope[1]!);
    key = hmac('sha256', key, scope[2]!);
    key = hmac('sha256', key, 'aws4_request');
    expected = hmac('sha256', key, stringToSign).toString('hex');
  } else {
    expected = hmac('sha1', secret, stringToSign).toString('base64');
  }
  return same(expected, signature);
}

/** The id Keystone gives an EC2 credential: the SHA-256 of its access key, in hex. */
export function ec2CredentialId(access: string): string {
  return createHash('sha256').update(access, 'utf8').digest('hex');
}
