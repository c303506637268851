import fc from 'fast-check';
import { TOKENS } from './fuzz-targets';
import {
  hostilePathSegments,
  hostileQueryValues,
  hostileString,
  oddContentTypes,
  oddMethods,
} from './hostile-values';

/** Token values that must be refused. */
const garbageTokens = [
  '',
  'garbage',
  `gAAAAAB${'A'.repeat(180)}`,
  `gAAAAAB${'_-'.repeat(90)}==`,
  'x'.repeat(10_000),
  '\u00e9\u00ff',
  `${TOKENS.admin}x`,
  `x${TOKENS.admin}`,
  `${TOKENS.admin},${TOKENS.admin}`,
  'Bearer abc',
  '..%2F',
];

/** Who a request claims to be: mostly the admin, sometimes the other project's member, or nobody valid. */
export const authHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({ 'x-auth-token': TOKENS.admin }), weight: 70 },
  { arbitrary: fc.constant({ 'x-auth-token': TOKENS.member }), weight: 10 },
  { arbitrary: fc.constant({}), weight: 5 },
  { arbitrary: fc.constant({ 'x-auth-token': TOKENS.revoked }), weight: 4 },
  { arbitrary: fc.constantFrom(...garbageTokens).map((t) => ({ 'x-auth-token': t })), weight: 8 },
  { arbitrary: fc.constant({ 'x-auth-token': TOKENS.admin, 'x-service-token': 'garbage' }), weight: 1 },
  { arbitrary: fc.constant({ 'x-storage-token': TOKENS.member }), weight: 1 },
  {
    arbitrary: fc.constant({
      authorization:
        'AWS4-HMAC-SHA256 Credential=x/20260101/r/s3/aws4_request, SignedHeaders=host, Signature=00',
    }),
    weight: 1,
  },
);

/** Headers with hostile values that some layer reads (microversions, request ids, accept). */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 20 },
  {
    arbitrary: fc.record(
      {
        'openstack-api-version': fc.constantFrom(
          'identity 99.99',
          'image latest',
          'image 2.x',
          '',
          'garbage garbage',
          'object-store 1.0',
        ),
        'x-openstack-request-id': fc.constantFrom('req-x', '', 'x'.repeat(4000), 'req-\u00e9'),
        accept: fc.constantFrom(
          'application/xml',
          '*/*',
          'text/html;q=0.1',
          'garbage',
          'application/json;q=x',
        ),
        'accept-encoding': fc.constantFrom('gzip', 'br, gzip;q=0', 'x'.repeat(100)),
        'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', ''),
        'x-forwarded-proto': fc.constantFrom('https', 'gopher', ''),
        'x-openstack-nimbus': hostileString.map(toLatin1),
      },
      { requiredKeys: [] },
    ),
    weight: 3,
  },
);

/** The string with each lone surrogate replaced by U+FFFD (String#toWellFormed, before ES2024 typings). */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** A string as it can go into a header (Latin-1; anything else percent-encoded). */
export function toLatin1(s: string): string {
  return s.replace(/[^\u0020-\u007e\u0080-\u00ff\t]/gu, (c) => encodeURIComponent(wellFormed(c)));
}

/** A path segment, percent-encoded so that anything, lone surrogates included, is writable. */
export function encodeSegment(s: string): string {
  return encodeURIComponent(wellFormed(s)).replace(/%EF%BF%BD/g, '%ED%A0%80');
}

/** A value for a path parameter: a real id when one is known, else random, else hostile. */
export function pathParam(known: string[] | undefined): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.uuid().map((u) => (u.length % 2 ? u : u.replaceAll('-', ''))), weight: 2 },
    { arbitrary: fc.constantFrom(...hostilePathSegments), weight: 3 },
    { arbitrary: hostileString.filter((s) => s.length < 10_000).map(encodeSegment), weight: 1 },
  ];
  if (known?.length) options.push({ arbitrary: fc.constantFrom(...known.map(encodeSegment)), weight: 8 });
  return fc.oneof(...options);
}

const genericQueryKeys = [
  'limit',
  'marker',
  'sort_key',
  'sort_dir',
  'sort',
  'name',
  'status',
  'visibility',
  'member_status',
  'owner',
  'tag',
  'enabled',
  'domain_id',
  'parent_id',
  'is_domain',
  'user_id',
  'project_id',
  'scope.project.id',
  'scope.system',
  'effective',
  'include_names',
  'include_subtree',
  'nocatalog',
  'allow_expired',
  'created_at',
  'updated_at',
  'size_min',
  'size_max',
  'os_hidden',
  'protected',
  'id',
  'type',
  'interface',
  'region_id',
  'service_id',
  'parents_as_list',
  'subtree_as_ids',
  'name__icontains',
  'tags-any',
  'not-tags',
  'resource_types',
  'namespace',
  'since',
  'password_expires_at',
  'unique_id',
];

/** A query string (with its `?`), or nothing: schema keys and generic list keys with hostile values. */
export function queryString(schemaKeys: string[], weightNone: number): fc.Arbitrary<string> {
  const keys = [...new Set([...schemaKeys, ...genericQueryKeys])];
  const value = fc.oneof(
    { arbitrary: fc.constantFrom(...hostileQueryValues), weight: 3 },
    { arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent), weight: 2 },
    { arbitrary: fc.integer({ min: -5, max: 2000 }).map(String), weight: 1 },
  );
  const pair = fc
    .tuple(fc.oneof(fc.constantFrom(...keys), fc.constantFrom('%00', '%ff', 'a[b]', '__proto__', '')), value)
    .map(([k, v]) => `${k}=${v}`);
  const some = fc.array(pair, { minLength: 1, maxLength: 4 }).map((ps) => `?${ps.join('&')}`);
  const odd = fc.constantFrom(
    '?',
    '?&&&',
    '?limit',
    '?=x',
    `?${'limit=1&'.repeat(500)}`,
    `?name=${'x'.repeat(60_000)}`,
    '?marker=%zz',
    '?limit=1;marker=2',
    '?a=1#frag',
  );
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: weightNone },
    { arbitrary: some, weight: 6 },
    { arbitrary: odd, weight: 1 },
  );
}

/** The route's method most of the time, else one it does not declare. */
export function methodFor(declared: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(declared), weight: 30 },
    { arbitrary: fc.constantFrom(...oddMethods), weight: 1 },
  );
}

/** The content type a JSON route wants most of the time, else a wrong or missing one. */
export function contentType(wanted: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(wanted), weight: 12 },
    { arbitrary: fc.constantFrom(...oddContentTypes), weight: 1 },
  );
}
