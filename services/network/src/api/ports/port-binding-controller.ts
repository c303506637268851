import { type ApiRequest, respond } from '@nimbus/http';
import { badRequest } from '../../manager/network-errors';
import type { PortBindingManager } from '../../manager/port-binding-manager';
import { isDict, isOneOf, isString } from '../attribute-spec';
import { policyNotAuthorized } from '../call-context';
import type { NetworkServices } from '../network-services';
import { contextOf, targetOf, visible } from '../resource-access';
import { portDefinition } from './port-definition';

type Req = ApiRequest<unknown, NetworkServices>;

/** VNIC types a binding may ask for (neutron_lib's list). */
const VNIC_TYPES = [
  'normal',
  'direct',
  'macvtap',
  'baremetal',
  'direct-physical',
  'virtio-forwarder',
  'smart-nic',
  'vdpa',
  'accelerator-direct',
  'accelerator-direct-physical',
  'remote-managed',
];

/** The port (visible to the caller) and the action's policy on it. */
async function portFor(req: Req, action: string) {
  const ctx = contextOf(req);
  const handlers = req.services.resources.port!;
  const port = await visible(ctx, portDefinition, handlers, req.params.id!);
  if (!ctx.allowed(action, await targetOf(ctx, handlers, port))) throw policyNotAuthorized([action]);
  return port;
}

const bindings = (req: Req) => req.services.bindings as PortBindingManager;

/** `GET /v2.0/ports/{id}/bindings`. */
export async function listPortBindings(req: Req) {
  return { bindings: await bindings(req).list(await portFor(req, 'get_port_binding')) };
}

/** `GET /v2.0/ports/{id}/bindings/{host}`. */
export async function showPortBinding(req: Req) {
  return { binding: await bindings(req).get(await portFor(req, 'get_port_binding'), req.params.host!) };
}

/** `POST /v2.0/ports/{id}/bindings` with `{"binding": {"host", "vnic_type", "profile"}}`. */
export async function createPortBinding(req: Req) {
  const port = await portFor(req, 'create_port_binding');
  const body = (req.body as { binding?: Record<string, unknown> } | undefined)?.binding;
  if (!body || typeof body !== 'object')
    throw badRequest('binding', "Unable to find 'binding' in request body");
  const unknown = Object.keys(body).filter(
    (k) => !['host', 'vnic_type', 'profile', 'project_id', 'tenant_id'].includes(k),
  );
  if (unknown.length) throw badRequest('binding', `Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const reason =
    isString(255)(body.host) ??
    (body.vnic_type === undefined ? undefined : isOneOf(VNIC_TYPES)(body.vnic_type)) ??
    (body.profile === undefined || body.profile === null ? undefined : isDict(body.profile));
  if (reason) throw badRequest('binding', reason);
  const binding = await bindings(req).create(port, {
    host: body.host as string,
    vnic_type: (body.vnic_type as string | undefined) ?? 'normal',
    profile: (body.profile as Record<string, unknown> | null | undefined) ?? {},
  });
  return respond(201, { binding });
}

/** `PUT /v2.0/ports/{id}/bindings/{host}/activate`. */
export async function activatePortBinding(req: Req) {
  return { binding: await bindings(req).activate(await portFor(req, 'activate'), req.params.host!) };
}

/** `DELETE /v2.0/ports/{id}/bindings/{host}`. */
export async function deletePortBinding(req: Req) {
  await bindings(req).delete(await portFor(req, 'delete_port_binding'), req.params.host!);
  return undefined;
}
