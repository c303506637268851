import { respond, route, type Route } from '@nimbus/http';
import { NotFoundError } from '@nimbus/errors';
import type {
  AssociationRecord,
  MetadefItem,
  NamespaceRecord,
} from '../../db/repositories/metadef-repository';
import type { MetadefKind, MetadefManager } from '../../manager/metadef-manager';
import { glanceTime } from '../images/image-view';
import { callerOf, type ImageRequest } from '../image-request';
import { checkMetadefBody } from './metadef-body';
import { METADEF_SCHEMAS } from './metadef-schemas';

/** What the metadefs controller reads of `req.services`. */
export interface MetadefServices {
  metadefs: MetadefManager;
}

type AssociationBody = { name: string; prefix?: string; properties_target?: string };
type Req<B = any> = ImageRequest<B> & { services: MetadefServices };
const m = (req: Req) => req.services.metadefs;
const base = (ns: string) => `/v2/metadefs/namespaces/${ns}`;

const times = (x: { createdAt: string; updatedAt: string }) => ({
  created_at: glanceTime(x.createdAt),
  updated_at: glanceTime(x.updatedAt),
});

function associationView(a: AssociationRecord) {
  return {
    name: a.resourceType,
    ...(a.prefix ? { prefix: a.prefix } : {}),
    ...(a.propertiesTarget ? { properties_target: a.propertiesTarget } : {}),
    ...times(a),
  };
}

function objectView(ns: string, o: MetadefItem) {
  return {
    name: o.name,
    ...o.body,
    schema: '/v2/schemas/metadefs/object',
    self: `${base(ns)}/objects/${o.name}`,
    ...times(o),
  };
}

function propertyView(p: MetadefItem) {
  return { name: p.name, ...p.body };
}

function tagView(t: MetadefItem) {
  return { name: t.name, ...times(t) };
}

async function namespaceView(req: Req, n: NamespaceRecord, full: boolean) {
  const body: Record<string, unknown> = {
    namespace: n.namespace,
    display_name: n.displayName ?? undefined,
    description: n.description ?? undefined,
    visibility: n.visibility,
    protected: n.protected,
    owner: n.owner,
    schema: '/v2/schemas/metadefs/namespace',
    self: base(n.namespace),
    ...times(n),
  };
  const associations = await m(req).associations(callerOf(req), n.namespace);
  if (associations.length) body.resource_type_associations = associations.map(associationView);
  if (full) {
    if (n.objects.length) body.objects = n.objects.map((o) => objectView(n.namespace, o));
    if (n.properties.length) body.properties = Object.fromEntries(n.properties.map((p) => [p.name, p.body]));
    if (n.tags.length) body.tags = n.tags.map((t) => ({ name: t.name }));
  }
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function itemRoutes(
  kind: Exclude<MetadefKind, 'tags'>,
  view: (ns: string, i: MetadefItem) => Record<string, unknown>,
): Route[] {
  const path = `/v2/metadefs/namespaces/:namespace/${kind}`;
  const single = kind === 'objects' ? 'object' : 'property';
  const nestedProperties = kind === 'objects';
  return [
    route('GET', path, async (req: Req) => {
      const n = await m(req).get(callerOf(req), req.params.namespace!);
      if (kind === 'properties')
        return { properties: Object.fromEntries(n.properties.map((p) => [p.name, p.body])) };
      return { objects: n.objects.map((o) => view(n.namespace, o)), schema: '/v2/schemas/metadefs/objects' };
    }),
    route('POST', path, async (req: Req) => {
      const { name, ...body } = checkMetadefBody<{ name: string }>(single, req.body, { nestedProperties });
      return respond(
        201,
        view(
          req.params.namespace!,
          await m(req).addItem(callerOf(req), req.params.namespace!, kind, name, body),
        ),
      );
    }),
    route('GET', `${path}/:${single}`, async (req: Req) =>
      view(
        req.params.namespace!,
        await m(req).item(callerOf(req), req.params.namespace!, kind, req.params[single]!),
      ),
    ),
    route('PUT', `${path}/:${single}`, async (req: Req) => {
      const { name, ...body } = checkMetadefBody<{ name: string }>(single, req.body);
      return view(
        req.params.namespace!,
        await m(req).updateItem(callerOf(req), req.params.namespace!, kind, req.params[single]!, name, body),
      );
    }),
    route('DELETE', `${path}/:${single}`, async (req: Req) => {
      await m(req).deleteItem(callerOf(req), req.params.namespace!, kind, req.params[single]!);
    }),
  ];
}

/** `/v2/metadefs/...` and `/v2/schemas/metadefs/...`. */
export const metadefRoutes: Route[] = [
  route('GET', '/v2/schemas/metadefs/:kind', (req: Req) => {
    const doc = Object.hasOwn(METADEF_SCHEMAS, req.params.kind!)
      ? METADEF_SCHEMAS[req.params.kind!]
      : undefined;
    if (!doc) throw new NotFoundError(`No schema named ${req.params.kind}.`);
    return doc;
  }),
  route('GET', '/v2/metadefs/namespaces', async (req: Req) => {
    const rt = req.query.resource_types;
    const list = await m(req).list(callerOf(req), {
      ...(typeof req.query.visibility === 'string' ? { visibility: req.query.visibility } : {}),
      ...(typeof rt === 'string' ? { resourceTypes: rt.split(',') } : {}),
    });
    return {
      namespaces: await Promise.all(list.map((n) => namespaceView(req, n, false))),
      first: '/v2/metadefs/namespaces',
      schema: '/v2/schemas/metadefs/namespaces',
    };
  }),
  route('POST', '/v2/metadefs/namespaces', async (req: Req) => {
    const body = checkMetadefBody('namespace', req.body);
    return respond(201, await namespaceView(req, await m(req).create(callerOf(req), body), true));
  }),
  route('GET', '/v2/metadefs/namespaces/:namespace', async (req: Req) =>
    namespaceView(req, await m(req).get(callerOf(req), req.params.namespace!), true),
  ),
  route('PUT', '/v2/metadefs/namespaces/:namespace', async (req: Req) => {
    const body = checkMetadefBody('namespace', req.body);
    return namespaceView(req, await m(req).update(callerOf(req), req.params.namespace!, body), true);
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace', async (req: Req) => {
    await m(req).delete(callerOf(req), req.params.namespace!);
  }),
  ...itemRoutes('objects', objectView),
  ...itemRoutes('properties', (_ns, p) => propertyView(p)),
  route('GET', '/v2/metadefs/namespaces/:namespace/tags', async (req: Req) => ({
    tags: (await m(req).get(callerOf(req), req.params.namespace!)).tags.map(tagView),
  })),
  route('POST', '/v2/metadefs/namespaces/:namespace/tags', async (req: Req) => {
    const { tags } = checkMetadefBody<{ tags: { name: string }[] }>('tags', req.body);
    const append = String(req.headers['x-openstack-append'] ?? '').toLowerCase() === 'true';
    const names = tags.map((t) => t.name);
    return respond(201, {
      tags: (await m(req).setTags(callerOf(req), req.params.namespace!, names, append)).map((t) => ({
        name: t.name,
      })),
    });
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace/tags', async (req: Req) => {
    await m(req).setTags(callerOf(req), req.params.namespace!, [], false);
  }),
  route('GET', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) =>
    tagView(await m(req).item(callerOf(req), req.params.namespace!, 'tags', req.params.tag!)),
  ),
  route('POST', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) =>
    respond(
      201,
      tagView(await m(req).addItem(callerOf(req), req.params.namespace!, 'tags', req.params.tag!, {})),
    ),
  ),
  route('PUT', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) => {
    const { name } = checkMetadefBody<{ name: string }>('tag', req.body);
    return tagView(
      await m(req).updateItem(callerOf(req), req.params.namespace!, 'tags', req.params.tag!, name, {}),
    );
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) => {
    await m(req).deleteItem(callerOf(req), req.params.namespace!, 'tags', req.params.tag!);
  }),
  route('GET', '/v2/metadefs/resource_types', async (req: Req) => ({
    resource_types: (await m(req).resourceTypes()).map((t) => ({ name: t.name, ...times(t) })),
  })),
  route('GET', '/v2/metadefs/namespaces/:namespace/resource_types', async (req: Req) => ({
    resource_type_associations: (await m(req).associations(callerOf(req), req.params.namespace!)).map(
      associationView,
    ),
  })),
  route('POST', '/v2/metadefs/namespaces/:namespace/resource_types', async (req: Req) => {
    const body = checkMetadefBody<AssociationBody>('resource_type_association', req.body);
    return respond(201, associationView(await m(req).associate(callerOf(req), req.params.namespace!, body)));
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace/resource_types/:resource_type', async (req: Req) => {
    await m(req).dissociate(callerOf(req), req.params.namespace!, req.params.resource_type!);
  }),
];
