import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-request';
import { type FuzzTargets, TOKENS } from './fuzz-targets';
import { hostilePathSegments, hostileRawBodies, hostileString } from './hostile-values';
import { authHeaders, toLatin1, wellFormed } from './request-parts';

const containers = [
  'fz0',
  'fz0',
  'fz1',
  'fzweb',
  'fzver',
  'fzn',
  '日本',
  'ウェブ',
  'a'.repeat(257),
  '.',
  '..',
  'x/y',
  'fz0\u0000',
  'fz\u00e9',
];
const objects = [
  'o',
  'o',
  'o2',
  'dir/sub/o',
  'dir/',
  'seg0',
  'seg1',
  'seg2',
  'slo',
  'dlo',
  'link',
  '日本.txt',
  '日本/x.html',
  'a\nb',
  'x'.repeat(1025),
  '..',
  '../fz1/o',
  'a//b',
  '\ud800',
  'index.html',
];

/** Encodes a Swift name for the path, keeping its slashes. */
function encodeName(name: string): string {
  return name
    .split('/')
    .map((s) => encodeURIComponent(wellFormed(s)).replace(/%EF%BF%BD/g, '%ED%A0%80'))
    .join('/');
}

const container = fc.oneof(
  { arbitrary: fc.constantFrom(...containers).map(encodeName), weight: 10 },
  { arbitrary: fc.constantFrom(...hostilePathSegments), weight: 1 },
);
const object = fc.oneof(
  { arbitrary: fc.constantFrom(...objects).map(encodeName), weight: 10 },
  { arbitrary: fc.constantFrom(...hostilePathSegments), weight: 1 },
);
const ref = fc
  .tuple(fc.constantFrom('fz0', 'fz1', 'fzn', '/fz0', '', '日本'), fc.constantFrom(...objects))
  .map(([c, o]) => `${c}/${o}`);
const refEncoded = ref.map((r) => encodeName(r));
const date = fc.constantFrom(
  'Thu, 01 Jan 1970 00:00:00 GMT',
  'Fri, 31 Dec 9999 23:59:59 GMT',
  'yesterday',
  '',
  '0',
  'Mon, 32 Foo 2020 99:99:99 GMT',
);
const etag = fc.constantFrom(
  '*',
  '"d41d8cd98f00b204e9800998ecf8427e"',
  'd41d8cd98f00b204e9800998ecf8427e',
  '"x", "y"',
  'W/"x"',
  '',
  'garbage',
);
const hostile = hostileString.filter((s) => s.length < 9000).map(toLatin1);

/** Swift headers with values that mean something to some middleware, or nothing at all. */
const headerValues: Record<string, fc.Arbitrary<string>> = {
  'x-object-manifest': fc.oneof(
    fc.constantFrom('fz0/seg', '/', 'fz0', 'fz0/', '/fz0/seg', 'fzn/', '%E6%97%A5/x'),
    hostile,
  ),
  'x-symlink-target': fc.oneof(
    refEncoded,
    fc.constantFrom('fz0/%E6%97%A5%E6%9C%AC', 'fz0/a%0Ab', 'fz0/link', '/', 'noslash'),
    hostile,
  ),
  'x-symlink-target-account': fc.constantFrom('AUTH_nobody', '', '..', 'AUTH_%FF'),
  'x-symlink-target-etag': etag,
  'x-static-large-object': fc.constantFrom('True', 'true', 'false', '1', 'yes', ''),
  range: fc.constantFrom(
    'bytes=0-0',
    'bytes=-1',
    'bytes=5-2',
    'bytes=0-',
    'bytes=-0',
    'bytes=99999999999999999999-',
    'chars=0-1',
    'bytes=0-0,1-1,2-2',
    `bytes=${Array.from({ length: 200 }, (_, i) => `${i}-${i}`).join(',')}`,
    'bytes=',
    'bytes=a-b',
  ),
  'if-match': etag,
  'if-none-match': etag,
  'if-modified-since': date,
  'if-unmodified-since': date,
  'x-copy-from': fc.oneof(refEncoded, fc.constantFrom('', '/', '..', 'noslash', 'fz0/'), hostile),
  'x-copy-from-account': fc.constantFrom('AUTH_nobody', '', '/', '..'),
  destination: fc.oneof(refEncoded, fc.constantFrom('', '/', 'noslash', '/fz0/'), hostile),
  'destination-account': fc.constantFrom('', 'AUTH_nobody', '..', '%FF'),
  'x-fresh-metadata': fc.constantFrom('true', 'false', 'x'),
  'x-container-read': fc.constantFrom(
    '.r:*',
    '.r:*,.rlistings',
    '.r:-evil',
    '*:*',
    'a:b,c',
    '',
    ',,,',
    '.r:',
  ),
  'x-container-write': fc.constantFrom('*:*', '.r:*', '', 'x'),
  'x-account-access-control': fc.constantFrom(
    '{"admin":["*"]}',
    '{"read-only":"x"}',
    '[]',
    'not json',
    '{"admin":[1]}',
    '',
  ),
  'x-versions-location': fc.constantFrom('fzver', 'fz0', 'fzn', '', 'a/b', '日本'),
  'x-history-location': fc.constantFrom('fzver', 'fz0', 'missing', '', '%FF'),
  'x-container-meta-quota-bytes': fc.constantFrom('-1', 'abc', '1', '0', '99999999999999999999'),
  'x-container-meta-quota-count': fc.constantFrom('-1', 'abc', '1', '0'),
  'x-account-meta-quota-bytes': fc.constantFrom('-1', 'abc', '1'),
  'x-container-meta-web-index': fc.constantFrom('index.html', '', '../x', '日本'),
  'x-container-meta-web-listings': fc.constantFrom('true', 'false', 'x'),
  'x-container-meta-web-error': fc.constantFrom('error.html', '', '%FF'),
  'x-container-meta-web-listings-css': fc.constantFrom('x.css', '', '"><script>'),
  'x-delete-at': fc.constantFrom('1', '9999999999', 'soon', '-1', '99999999999999999999', ''),
  'x-delete-after': fc.constantFrom('1', '0', '-1', 'soon', '1e9', ''),
  'x-container-sync-to': fc.constantFrom(
    '//realm/cluster/AUTH_x/c',
    'http://127.0.0.1:1/v1/AUTH_x/c',
    'garbage',
    '',
  ),
  'x-container-sync-key': fc.constantFrom('k', ''),
  'x-account-meta-temp-url-key-2': fc.constantFrom('k2', ''),
  'x-container-meta-temp-url-key': fc.constantFrom('k3', ''),
  'x-storage-policy': fc.constantFrom('gold', '', 'Policy-0', '%FF'),
  'x-timestamp': fc.constantFrom('1', '0000000001.00000', 'abc', '9999999999.99999'),
  'x-backend-storage-policy-index': fc.constantFrom('1', '-1', 'x'),
  'x-object-sysmeta_container-update-override-etag': fc.constantFrom('evil'),
  'x-newest': fc.constantFrom('true', 'x'),
  'x-detect-content-type': fc.constantFrom('true', 'x'),
  'content-type': fc.constantFrom(
    'text/plain',
    'application/json',
    '',
    'x',
    'a/b;swift_bytes=1',
    'text/plain;charset=日'.replace('日', '%E6'),
    'application/directory',
  ),
  'content-encoding': fc.constantFrom('gzip', 'x', ''),
  'content-disposition': fc.constantFrom('attachment; filename="a"', 'x', ''),
  etag,
  'x-object-meta-k': fc.oneof(fc.constantFrom('v', '', 'v'.repeat(257), '\u00e9'), hostile),
  'x-object-meta-\u00e9': fc.constantFrom('v'),
  [`x-object-meta-${'k'.repeat(129)}`]: fc.constantFrom('v'),
  'x-container-meta-k': fc.oneof(fc.constantFrom('v', 'v'.repeat(257)), hostile),
  'x-account-meta-k': fc.oneof(fc.constantFrom('v', 'v'.repeat(257)), hostile),
  'x-remove-container-meta-k': fc.constantFrom('x'),
  'x-remove-account-meta-k': fc.constantFrom('x'),
  'transfer-encoding': fc.constantFrom('chunked'),
};

const headers = fc
  .subarray(Object.keys(headerValues), { maxLength: 4 })
  .chain((names) => fc.tuple(...names.map((n) => headerValues[n]!.map((v) => [n, v] as const))))
  .map((pairs) => Object.fromEntries(pairs) as Record<string, string>);

const query = fc.oneof(
  { arbitrary: fc.constant(''), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      '?multipart-manifest=put',
      '?multipart-manifest=get',
      '?multipart-manifest=get&format=raw',
      '?multipart-manifest=delete',
      '?symlink=get',
      '?format=json',
      '?format=xml',
      '?format=plain',
      '?format=%FF',
      '?limit=0',
      '?limit=-1',
      '?limit=10001',
      '?limit=abc',
      '?marker=%FF',
      '?end_marker=z&reverse=true',
      '?prefix=dir/&delimiter=/',
      '?delimiter=%00',
      '?path=dir',
      '?prefix=%ED%A0%80',
      '?reverse=x',
      '?heartbeat=on',
      '?versions',
      '?version-id=x',
      '?bulk-delete',
      '?extract-archive=tar',
      `?prefix=${'x'.repeat(9000)}`,
    ),
    weight: 3,
  },
);

const smallBody = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), weight: 6 },
  { arbitrary: fc.constantFrom(...hostileRawBodies.filter((b) => b.length <= 4096)), weight: 2 },
  { arbitrary: fc.constant(Buffer.alloc(0)), weight: 2 },
);

const manifest = fc
  .array(
    fc.record(
      {
        path: fc.oneof(
          ref,
          hostileString.filter((s) => s.length < 2000),
        ),
        etag: fc.oneof(fc.constant(null), etag, fc.constant(createHash('md5').update('').digest('hex'))),
        size_bytes: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 5000 }), fc.constant('x')),
        range: fc.constantFrom('0-0', '1-', '-1', '5-2', 'x', ''),
        data: fc.constantFrom('aGVsbG8=', '!!', ''),
        sub_slo: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 5 },
  )
  .map((segs) => Buffer.from(JSON.stringify(segs)));

/** Object storage requests: names, headers, ranges, conditionals, copies, ACLs, large objects. */
function storageRequest(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const account = fc.oneof(
    { arbitrary: fc.constant(t.accountPath), weight: 12 },
    {
      arbitrary: fc.constantFrom(
        t.otherAccountPath,
        '/v1/AUTH_nobody',
        '/v1/AUTH_%FF',
        '/v1/%00',
        '/v1',
        '/v2/AUTH_x',
      ),
      weight: 1,
    },
  );
  const path = fc.oneof(
    {
      arbitrary: fc
        .tuple(account, container, object)
        .map(([a, c, o]) => ({ path: `${a}/${c}/${o}`, level: 'object' })),
      weight: 8,
    },
    {
      arbitrary: fc.tuple(account, container).map(([a, c]) => ({ path: `${a}/${c}`, level: 'container' })),
      weight: 3,
    },
    { arbitrary: account.map((a) => ({ path: a, level: 'account' })), weight: 1 },
  );
  const method = fc.constantFrom(
    'GET',
    'GET',
    'GET',
    'HEAD',
    'PUT',
    'PUT',
    'PUT',
    'POST',
    'DELETE',
    'COPY',
    'OPTIONS',
  );
  const body = fc.oneof({ arbitrary: smallBody, weight: 4 }, { arbitrary: manifest, weight: 1 });
  return fc
    .record({ p: path, method, q: query, h: headers, auth: authHeaders, body })
    .map(({ p, method, q, h, auth, body }) => {
      const writes = method === 'PUT' || method === 'POST';
      const feature = q ? ` ${q.split(/[=&]/)[0]}` : '';
      return {
        service: 'object-store',
        route: `swift ${method} ${p.level}${feature}`,
        method,
        path: `${p.path}${q}`,
        headers: { ...h, ...auth },
        body: writes ? body : undefined,
      };
    });
}

/** TempURL requests, validly signed or forged, with hostile names and filenames. */
function tempUrlRequest(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'GET', 'HEAD', 'PUT'),
      name: fc.constantFrom(
        'fz0/o',
        'fz0/日本.txt',
        'fz0/dir/sub/o',
        'fz0/link',
        'fz0/slo',
        'fz0/dlo',
        'fz1/missing',
      ),
      expires: fc.constantFrom(3600, -10, 0),
      forge: fc.constantFrom(false, false, false, true),
      extra: fc.constantFrom(
        '',
        '&inline',
        '&filename=a.txt',
        '&filename=日本',
        '&filename=a%0Ab',
        '&filename=a%0D%0ASet-Cookie:x',
        '&inline&filename=日本',
        '&filename=%FF',
        '&temp_url_prefix=fz0',
        '&temp_url_ip_range=1.2.3.4',
      ),
      algo: fc.constantFrom('sha256', 'sha1', 'sha512'),
    })
    .map(({ method, name, expires, forge, extra, algo }) => {
      const exp = Math.floor(Date.now() / 1000) + expires;
      const decoded = `${t.accountPath}/${name}`;
      let sig = createHmac(algo, t.tempUrlKey).update(`${method}\n${exp}\n${decoded}`).digest('hex');
      if (algo === 'sha512') sig = `sha512:${Buffer.from(sig, 'hex').toString('base64url')}`;
      if (forge) sig = sig.replace(/.$/, '0');
      const q = `?temp_url_sig=${sig}&temp_url_expires=${exp}${extra.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c))}`;
      const body = method === 'PUT' ? Buffer.from('temp url body') : undefined;
      return {
        service: 'object-store',
        route: `swift tempurl ${method}`,
        method,
        path: `${encodeName(decoded)}${q}`,
        headers: {},
        body,
      };
    });
}

/** Anonymous static-web reads of a public, web-listed container. */
function staticWebRequest(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      fc.constantFrom(
        '',
        '/',
        '/日本',
        '/日本/',
        '/dir',
        '/dir/',
        '/missing',
        '/%FF',
        '/index.html',
        '/a%0Ab',
      ),
      fc.constantFrom('GET', 'HEAD'),
      fc.constantFrom<Record<string, string>>({}, { 'x-web-mode': 'true' }),
    )
    .map(
      ([sub, method, h]): FuzzRequest => ({
        service: 'object-store',
        route: `swift staticweb ${method}`,
        method,
        path: `${t.accountPath}/fzweb${encodeName(sub)}`,
        headers: h,
      }),
    );
}

/** Bulk operations: archives to extract (small, some hostile) and deletes by list. */
function bulkRequest(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const extract = fc
    .tuple(
      fc.constantFrom('tar', 'tar.gz', 'tar.bz2', 'zip', 'x', ''),
      fc.oneof(fc.constantFrom(...t.archives), smallBody),
      fc.constantFrom('', '/fz0', '/fzn', '/日本'),
    )
    .map(([fmt, body, c]) => ({
      service: 'object-store' as const,
      route: `swift PUT extract-archive=${fmt}`,
      method: 'PUT',
      path: `${t.accountPath}${encodeName(c)}?extract-archive=${fmt}`,
      headers: { 'x-auth-token': TOKENS.admin, accept: 'application/json' },
      body,
    }));
  const del = fc
    .array(
      fc.oneof(
        ref.map((r) => `/${encodeName(r)}`),
        fc.constantFrom('/fz0', '/../AUTH_nobody/c/o', '', '%FF', '/fzn/o'),
        hostileString.filter((s) => s.length < 2000),
      ),
      { maxLength: 5 },
    )
    .map((lines) => ({
      service: 'object-store' as const,
      route: 'swift POST bulk-delete',
      method: 'POST',
      path: `${t.accountPath}?bulk-delete`,
      headers: { 'x-auth-token': TOKENS.admin, 'content-type': 'text/plain', accept: 'application/json' },
      body: Buffer.from(lines.join('\n')),
    }));
  return fc.oneof(extract, del);
}

/** Everything else on the object storage port: info, FormPost, S3, the root. */
function miscRequest(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const formPost = fc
    .constantFrom(
      'x',
      `--x\r\nContent-Disposition: form-data; name="signature"\r\n\r\nzz\r\n--x\r\nContent-Disposition: form-data; name="file"; filename=""\r\n\r\ndata\r\n--x--\r\n`,
    )
    .map(
      (body): FuzzRequest => ({
        service: 'object-store' as const,
        route: 'swift formpost',
        method: 'POST',
        path: `${t.accountPath}/fz0/up`,
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: Buffer.from(body),
      }),
    );
  const fixed = fc.constantFrom(
    ['GET', '/info'],
    ['GET', '/info?swiftinfo_sig=x&swiftinfo_expires=1'],
    ['GET', '/healthcheck'],
    ['GET', '/crossdomain.xml'],
    ['GET', '/'],
    ['GET', '/v1'],
    ['GET', '/v1/'],
    ['GET', '/bucket'],
    ['PUT', '/bucket'],
    ['GET', '/bucket/key?uploads'],
    ['GET', '/auth/v1.0'],
    ['GET', '/v1/AUTH_x/c/o?temp_url_sig=x'],
  );
  const s3Auth = fc.constantFrom(
    'AWS4-HMAC-SHA256 Credential=x/20260101/r/s3/aws4_request, SignedHeaders=host, Signature=00',
    'AWS x:y',
    'AWS ',
    'AWS4-HMAC-SHA256 garbage',
    'Basic Zm9vOmJhcg==',
  );
  const plain = fc.tuple(fixed, s3Auth, fc.boolean()).map(
    ([[method, path], auth, useS3]): FuzzRequest => ({
      service: 'object-store' as const,
      route: `swift misc ${method} ${path!.split('?')[0]}`,
      method: method!,
      path: path!,
      headers: useS3 ? { authorization: auth, 'x-amz-date': '20260101T000000Z' } : {},
    }),
  );
  return fc.oneof(plain, formPost);
}

/** Object storage's generators, weighted; Swift has one catch-all route, so this is its route table. */
export function swiftArbitrary(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { arbitrary: storageRequest(t), weight: 20 },
    { arbitrary: tempUrlRequest(t), weight: 2 },
    { arbitrary: staticWebRequest(t), weight: 1 },
    { arbitrary: bulkRequest(t), weight: 1 },
    { arbitrary: miscRequest(t), weight: 1 },
  );
}
