import fc from 'fast-check';

/** One mebibyte of text, made once. */
export const ONE_MB = 'A'.repeat(1 << 20);

/** Strings that broke, or break, real parsers and drivers. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  '日本語',
  '🙂',
  '\u202eevil',
  '\ufeffbom',
  '\u0085\u2028\u2029',
  'a\r\nX-Injected: 1',
  '\t',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '../../etc/passwd',
  '..',
  '.',
  '/',
  '//',
  '\\',
  '%00',
  '%ff',
  '%s%s%s%n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point.
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  '*',
  'AUTH_',
  '.r:*',
  'x'.repeat(65),
  'x'.repeat(256),
  'x'.repeat(4097),
  'é'.repeat(2100),
  'x'.repeat(70_000),
];

/** Hostile strings plus a sprinkle of fast-check's own unicode. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...hostileStrings), weight: 120 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 40 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 20 },
  { arbitrary: fc.constant(ONE_MB), weight: 1 },
);

/** Nested arrays or objects `depth` levels deep. */
export function deepNesting(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Any JSON value a schema would not expect. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      2 ** 53 + 1,
      [],
      {},
      [null],
      { a: {} },
      [1, 2],
    ),
    weight: 60,
  },
  { arbitrary: hostileString, weight: 50 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 20 },
  {
    arbitrary: fc.constantFrom(deepNesting(200, 'array'), deepNesting(200, 'object'), Array(1000).fill('x')),
    weight: 3,
  },
);

/** Whole bodies, as bytes, that are not the JSON a route expects. */
export const hostileRawBodies: readonly Buffer[] = [
  '',
  '{',
  '{"a":',
  '[',
  'null',
  'true',
  '"string"',
  '42',
  '[]',
  '{}',
  '{"a":1,"a":2}',
  '{"__proto__":{"admin":true,"is_admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  'not json at all',
  '<?xml version="1.0"?><a/>',
  'a=1&b=2',
  '['.repeat(100_000),
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `{"a":"${'x'.repeat(200_000)}"}`,
]
  .map((s) => Buffer.from(s, 'utf8'))
  .concat([
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    Buffer.from([0x00, 0x00, 0x00]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  ]);

/** Path segments, already as they go on the wire (percent-encoded, or raw Latin-1 bytes). */
export const hostilePathSegments: readonly string[] = [
  'x'.repeat(9000),
  '%00',
  'a%00b',
  '%ff',
  '%ed%a0%80',
  '%c0%af',
  '%zz',
  '%',
  '..',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%2F',
  '%E6%97%A5%E6%9C%AC',
  '\u00e9\u00ff',
  '%0d%0aX-Injected:%201',
  '%20',
  'a;b=c',
  '*',
  '-1',
  '0',
  'null',
  'None',
  '%7B%7D',
  '00000000-0000-0000-0000-000000000000',
  'ffffffffffffffffffffffffffffffff',
];

/** Query parameter values, already encoded. */
export const hostileQueryValues: readonly string[] = [
  '',
  '-1',
  '0',
  '1',
  '99999999999999999999',
  '1e9',
  'abc',
  'true',
  'false',
  'None',
  '%00',
  '%ff',
  '%zz',
  '%ed%a0%80',
  '%E6%97%A5',
  'x'.repeat(60_000),
  'gt:2020-01-01T00:00:00Z',
  'lte:',
  'in:a,b,"c',
  'in:',
  'asc',
  'desc',
  'name:asc,id:desc',
  'name:sideways',
  '[]',
  '%5B%5D',
  '..%2F..',
  'a%0d%0ab',
  '*',
];

/** Methods no route declares. */
export const oddMethods: readonly string[] = [
  'PROPFIND',
  'TRACE',
  'FOO',
  'M-SEARCH',
  'LOCK',
  'PURGE',
  'OPTIONS',
  'PATCH',
  'COPY',
  'HEAD',
  'PUT',
];

/** Content types other than the one a route expects. */
export const oddContentTypes: readonly (string | undefined)[] = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/openstack-images-v2.1-json-patch',
  'application/json-patch+json',
  'application/octet-stream',
  'application/xml',
  '*/*',
  'garbage',
  'application/json;;;',
];
