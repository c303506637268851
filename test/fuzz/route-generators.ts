import type { Route } from '@nimbus/http';
import fc from 'fast-check';
import { bodyArbitrary } from './body-mutations';
import type { FuzzRequest, FuzzService } from './fuzz-request';
import { type FuzzTargets, TOKENS } from './fuzz-targets';
import { hostileJson, hostileString } from './hostile-values';
import { networkBodyHints } from './network-generators';
import { placementBodyHints, placementQuery, placementVersion } from './placement-generators';
import { authHeaders, contentType, extraHeaders, methodFor, pathParam, queryString } from './request-parts';
import { schemaArbitrary } from './schema-arbitrary';

const JSON_PATCH = 'application/openstack-images-v2.1-json-patch';

const imagePatchOp = fc.record({
  op: fc.constantFrom('add', 'replace', 'remove', 'move', 'copy', 'test', 'bogus'),
  path: fc.constantFrom(
    '/name',
    '/tags',
    '/tags/0',
    '/tags/-',
    '/visibility',
    '/protected',
    '/os_hidden',
    '/min_ram',
    '/min_disk',
    '/container_format',
    '/disk_format',
    '/locations',
    '/locations/0',
    '/locations/-',
    '/id',
    '/status',
    '/size',
    '/owner',
    '/checksum',
    '/x_prop',
    '/x_prop/sub',
    '/',
    '',
    'name',
    '/~1',
    '/~2',
    '/a~0b',
    '/self',
    '/file',
  ),
  value: fc.oneof(
    hostileJson,
    fc.constantFrom('public', 'private', 'shared', 'community', 'raw', 'bare', 'fuzz', 0, 1),
  ),
});

/** Valid-looking bodies for routes that parse their body by hand (no schema in the route table). */
const bodyHints: Record<string, fc.Arbitrary<unknown>> = {
  'POST /v3/ec2tokens': fc.record({
    credentials: fc.record({
      access: fc.oneof(fc.constant('fuzz-access'), hostileString),
      signature: fc.oneof(fc.constant('xx'), hostileString),
      host: fc.constantFrom('h', '', 'h:1'),
      verb: fc.constantFrom('GET', 'POST', ''),
      path: fc.constantFrom('/', '', '/%ff'),
      params: fc.oneof(
        fc.record({
          SignatureVersion: fc.constantFrom('2', '4', '0', 'x'),
          SignatureMethod: fc.constantFrom('HmacSHA256', 'HmacSHA1', 'x'),
          AWSAccessKeyId: hostileString,
          x: hostileString,
        }),
        hostileJson,
      ),
      headers: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), hostileString, { maxKeys: 3 }),
        hostileJson,
      ),
      body_hash: fc.string({ maxLength: 10 }),
    }),
  }),
  'POST /v3/s3tokens': fc.record({
    credentials: fc.record({
      access: hostileString,
      token: fc.base64String({ maxLength: 40 }),
      signature: hostileString,
    }),
  }),
  'POST /v3/users/:user_id/credentials/OS-EC2': fc.record({ tenant_id: fc.oneof(fc.uuid(), hostileString) }),
  'PUT /v3/OS-FEDERATION/mappings/:mapping_id': fc.record({
    mapping: fc.record({
      rules: fc.array(
        fc.record({
          local: fc.array(hostileJson, { maxLength: 2 }),
          remote: fc.array(hostileJson, { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
    }),
  }),
  'PATCH /v3/OS-FEDERATION/mappings/:mapping_id': fc.record({
    mapping: fc.record({ rules: fc.array(hostileJson, { maxLength: 2 }) }),
  }),
  'PATCH /v2/images/:image_id': fc.array(imagePatchOp, { maxLength: 4 }),
  'POST /v2/images/:image_id/import': fc.record({
    method: fc.record({
      name: fc.constantFrom('glance-direct', 'web-download', 'copy-image', 'glance-download', 'bogus'),
      uri: fc.constantFrom(
        'http://127.0.0.1:1/x',
        'file:///etc/passwd',
        'gopher://x',
        'http://[::1]:1/',
        'not a uri',
        '',
      ),
    }),
    stores: fc.oneof(fc.constant(['file']), hostileJson),
    all_stores: fc.boolean(),
    all_stores_must_succeed: fc.boolean(),
  }),
  'POST /v2/tasks': fc.record({
    type: fc.constantFrom('import', 'bogus'),
    input: fc.record({
      import_from: fc.constantFrom('http://127.0.0.1:1/x', 'file:///etc/passwd', ''),
      import_from_format: fc.constantFrom('raw', 'qcow2', ''),
      image_properties: hostileJson,
    }),
  }),
};

/** Raw bytes for image data uploads: small, sometimes with the magic of a real format. */
const imageData = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
  fc.constantFrom(
    Buffer.alloc(0),
    Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]), Buffer.alloc(504)]),
    Buffer.concat([Buffer.from('KDMV'), Buffer.alloc(508, 0xff)]),
    Buffer.alloc(65_536, 0x41),
  ),
);

const SUBJECT_ROUTES = new Set(['GET /v3/auth/tokens', 'HEAD /v3/auth/tokens', 'DELETE /v3/auth/tokens']);

/**
 * The paths' `:params` filled from the targets' ids (by `<previous segment>/:param`, else by
 * `param`), random ids or hostile segments.
 */
function pathArbitrary(path: string, targets: FuzzTargets): fc.Arbitrary<string> {
  const segs = path.split('/');
  const parts = segs.map((seg, i) =>
    seg.startsWith(':')
      ? pathParam(targets.ids[`${segs[i - 1]}/${seg}`] ?? targets.ids[seg.slice(1)])
      : fc.constant(seg),
  );
  return fc.tuple(...parts).map((segs) => segs.join('/'));
}

/** Headers every request of a service carries (before the hostile extras): Placement's microversion. */
const serviceHeaders: Partial<Record<FuzzService, fc.Arbitrary<Record<string, string>>>> = {
  placement: placementVersion,
};

/** Body hints of the services whose generators need the targets' ids. */
const serviceBodyHints: Partial<
  Record<FuzzService, (targets: FuzzTargets) => Record<string, fc.Arbitrary<unknown>>>
> = {
  placement: placementBodyHints,
  network: networkBodyHints,
};

/** Requests for one declared route, driven by its body and query schemas. */
export function routeArbitrary(
  service: FuzzService,
  r: Route,
  targets: FuzzTargets,
  hints: Record<string, fc.Arbitrary<unknown>> = bodyHints,
): fc.Arbitrary<FuzzRequest> {
  const label = `${r.method} ${r.path}`;
  const schemaKeys = Object.keys(
    ((r.options.query as { properties?: object } | undefined)?.properties ?? {}) as object,
  );
  const hint = hints[label] ?? bodyHints[label];
  const valid = hint ?? (r.options.body ? schemaArbitrary(r.options.body) : undefined);
  const isData = r.options.stream && r.method === 'PUT';
  const wantsBody = !!valid || isData || r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH';
  const body: fc.Arbitrary<Buffer | undefined> = isData
    ? imageData
    : valid
      ? bodyArbitrary(valid)
      : wantsBody
        ? fc.oneof(fc.constant(undefined), bodyArbitrary(hostileJson))
        : fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 20 },
            { arbitrary: bodyArbitrary(hostileJson), weight: 1 },
          );
  const wanted = isData
    ? 'application/octet-stream'
    : label === 'PATCH /v2/images/:image_id'
      ? JSON_PATCH
      : 'application/json';
  const subject = SUBJECT_ROUTES.has(label)
    ? fc.oneof(
        fc.constant({ 'x-subject-token': TOKENS.disposable }),
        fc.constant({ 'x-subject-token': TOKENS.revoked }),
        fc.constant({ 'x-subject-token': TOKENS.member }),
        fc.constant({}),
        fc.constantFrom('garbage', `gAAAAAB${'A'.repeat(180)}`, '').map((t) => ({ 'x-subject-token': t })),
      )
    : fc.constant({});
  return fc
    .record({
      method: methodFor(r.method),
      path: pathArbitrary(r.path, targets),
      query:
        service === 'placement' && r.method === 'GET'
          ? fc.oneof(queryString(schemaKeys, 2), placementQuery(targets))
          : queryString(schemaKeys, r.method === 'GET' ? 2 : 10),
      auth: r.options.public && label === 'POST /v3/auth/tokens' ? fc.constant({}) : authHeaders,
      subject,
      extra: extraHeaders,
      type: contentType(wanted),
      body,
      version: serviceHeaders[service] ?? fc.constant({}),
    })
    .map(({ method, path, query, auth, subject, extra, type, body, version }) => {
      const headers: Record<string, string> = { ...version, ...extra, ...auth, ...subject };
      // Revoking tokens the run depends on would only blind it: DELETE takes disposable subjects only.
      if (
        method === 'DELETE' &&
        label === 'DELETE /v3/auth/tokens' &&
        headers['x-subject-token'] === TOKENS.member
      ) {
        headers['x-subject-token'] = TOKENS.disposable;
      }
      if (body && type) headers['content-type'] = type;
      return {
        service,
        route: label,
        method,
        path: `${path}${query}`,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
      };
    });
}

/** One arbitrary per declared route of a service. */
export function serviceArbitraries(
  service: FuzzService,
  routes: readonly Route[],
  targets: FuzzTargets,
): fc.Arbitrary<FuzzRequest>[] {
  const hints = serviceBodyHints[service]?.(targets) ?? bodyHints;
  return routes.map((r) => routeArbitrary(service, r, targets, hints));
}
