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
import { authorizeMetadef, mayReadNamespace } from './metadef-authorize';
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

/** The namespace the path names, once the caller passed each of `rules` on it (see authorizeMetadef). */
async function checked(req: Req, ...rules: string[]): Promise<NamespaceRecord> {
  const n = await m(req).get(callerOf(req), req.params.namespace!);
  for (const rule of rules) authorizeMetadef(req, rule, n);
  return n;
}

/** Glance's rule names for the objects and properties of a namespace. */
const ITEM_RULES = {
  objects: {
    list: 'get_metadef_objects',
    add: 'add_metadef_object',
    get: 'get_metadef_object',
    modify: 'modify_metadef_object',
    remove: 'delete_metadef_object',
  },
  properties: {
    list: 'get_metadef_properties',
    add: 'add_metadef_property',
    get: 'get_metadef_property',
    modify: 'modify_metadef_property',
    remove: 'remove_metadef_property',
  },
} as const;

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
  const rules = ITEM_RULES[kind];
  return [
    route('GET', path, async (req: Req) => {
      const n = await checked(req, rules.list);
      if (kind === 'properties')
        return { properties: Object.fromEntries(n.properties.map((p) => [p.name, p.body])) };
      return { objects: n.objects.map((o) => view(n.namespace, o)), schema: '/v2/schemas/metadefs/objects' };
    }),
    route('POST', path, async (req: Req) => {
      const { name, ...body } = checkMetadefBody<{ name: string }>(single, req.body, { nestedProperties });
      await checked(req, rules.add);
      return respond(
        201,
        view(
          req.params.namespace!,
          await m(req).addItem(callerOf(req), req.params.namespace!, kind, name, body),
        ),
      );
    }),
    route('GET', `${path}/:${single}`, async (req: Req) => {
      await checked(req, rules.get);
      return view(
        req.params.namespace!,
        await m(req).item(callerOf(req), req.params.namespace!, kind, req.params[single]!),
      );
    }),
    route('PUT', `${path}/:${single}`, async (req: Req) => {
      const { name, ...body } = checkMetadefBody<{ name: string }>(single, req.body);
      await checked(req, rules.modify);
      return view(
        req.params.namespace!,
        await m(req).updateItem(callerOf(req), req.params.namespace!, kind, req.params[single]!, name, body),
      );
    }),
    route('DELETE', `${path}/:${single}`, async (req: Req) => {
      await checked(req, rules.remove);
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
    authorizeMetadef(req, 'get_metadef_namespaces');
    authorizeMetadef(req, 'list_metadef_resource_types');
    const rt = req.query.resource_types;
    const list = await m(req).list(callerOf(req), {
      ...(typeof req.query.visibility === 'string' ? { visibility: req.query.visibility } : {}),
      ...(typeof rt === 'string' ? { resourceTypes: rt.split(',') } : {}),
    });
    const readable = list.filter((n) => mayReadNamespace(req, n));
    return {
      namespaces: await Promise.all(readable.map((n) => namespaceView(req, n, false))),
      first: '/v2/metadefs/namespaces',
      schema: '/v2/schemas/metadefs/namespaces',
    };
  }),
  route('POST', '/v2/metadefs/namespaces', async (req: Req) => {
    const body = checkMetadefBody('namespace', req.body);
    authorizeMetadef(req, 'add_metadef_namespace');
    // Glance checks the rule of each kind of member the new namespace brings.
    const members = [
      ['resource_type_associations', 'add_metadef_resource_type_association'],
      ['objects', 'add_metadef_object'],
      ['properties', 'add_metadef_property'],
      ['tags', 'add_metadef_tag'],
    ] as const;
    for (const [field, rule] of members) if (hasMembers(body[field])) authorizeMetadef(req, rule);
    return respond(201, await namespaceView(req, await m(req).create(callerOf(req), body), true));
  }),
  route('GET', '/v2/metadefs/namespaces/:namespace', async (req: Req) =>
    namespaceView(
      req,
      await checked(
        req,
        'get_metadef_namespace',
        'list_metadef_resource_types',
        'get_metadef_objects',
        'get_metadef_properties',
        'get_metadef_tags',
      ),
      true,
    ),
  ),
  route('PUT', '/v2/metadefs/namespaces/:namespace', async (req: Req) => {
    const body = checkMetadefBody('namespace', req.body);
    await checked(req, 'modify_metadef_namespace');
    return namespaceView(req, await m(req).update(callerOf(req), req.params.namespace!, body), true);
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace', async (req: Req) => {
    await checked(req, 'delete_metadef_namespace');
    await m(req).delete(callerOf(req), req.params.namespace!);
  }),
  ...itemRoutes('objects', objectView),
  ...itemRoutes('properties', (_ns, p) => propertyView(p)),
  route('GET', '/v2/metadefs/namespaces/:namespace/tags', async (req: Req) => ({
    tags: (await checked(req, 'get_metadef_tags')).tags.map(tagView),
  })),
  route('POST', '/v2/metadefs/namespaces/:namespace/tags', async (req: Req) => {
    const { tags } = checkMetadefBody<{ tags: { name: string }[] }>('tags', req.body);
    await checked(req, 'add_metadef_tags');
    const append = String(req.headers['x-openstack-append'] ?? '').toLowerCase() === 'true';
    const names = tags.map((t) => t.name);
    return respond(201, {
      tags: (await m(req).setTags(callerOf(req), req.params.namespace!, names, append)).map((t) => ({
        name: t.name,
      })),
    });
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace/tags', async (req: Req) => {
    await checked(req, 'delete_metadef_tags');
    await m(req).setTags(callerOf(req), req.params.namespace!, [], false);
  }),
  route('GET', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) => {
    await checked(req, 'get_metadef_tag');
    return tagView(await m(req).item(callerOf(req), req.params.namespace!, 'tags', req.params.tag!));
  }),
  route('POST', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) => {
    await checked(req, 'add_metadef_tag');
    return respond(
      201,
      tagView(await m(req).addItem(callerOf(req), req.params.namespace!, 'tags', req.params.tag!, {})),
    );
  }),
  route('PUT', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) => {
    const { name } = checkMetadefBody<{ name: string }>('tag', req.body);
    await checked(req, 'modify_metadef_tag');
    return tagView(
      await m(req).updateItem(callerOf(req), req.params.namespace!, 'tags', req.params.tag!, name, {}),
    );
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace/tags/:tag', async (req: Req) => {
    await checked(req, 'delete_metadef_tag');
    await m(req).deleteItem(callerOf(req), req.params.namespace!, 'tags', req.params.tag!);
  }),
  route('GET', '/v2/metadefs/resource_types', async (req: Req) => {
    authorizeMetadef(req, 'list_metadef_resource_types');
    return {
      resource_types: (await m(req).resourceTypes()).map((t) => ({ name: t.name, ...times(t) })),
    };
  }),
  route('GET', '/v2/metadefs/namespaces/:namespace/resource_types', async (req: Req) => {
    await checked(req, 'list_metadef_resource_types', 'get_metadef_resource_type');
    const associations = await m(req).associations(callerOf(req), req.params.namespace!);
    return { resource_type_associations: associations.map(associationView) };
  }),
  route('POST', '/v2/metadefs/namespaces/:namespace/resource_types', async (req: Req) => {
    const body = checkMetadefBody<AssociationBody>('resource_type_association', req.body);
    await checked(req, 'add_metadef_resource_type_association');
    return respond(201, associationView(await m(req).associate(callerOf(req), req.params.namespace!, body)));
  }),
  route('DELETE', '/v2/metadefs/namespaces/:namespace/resource_types/:resource_type', async (req: Req) => {
    await checked(req, 'remove_metadef_resource_type_association');
    await m(req).dissociate(callerOf(req), req.params.namespace!, req.params.resource_type!);
  }),
];

/** Whether a create body brings members of a kind (a non-empty list, or properties as a map). */
function hasMembers(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}
