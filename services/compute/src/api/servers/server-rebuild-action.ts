import { respond } from '@nimbus/http';
import type { Instance } from '../../db/instance-repository';
import type { RebuildInput } from '../../manager/actions/rebuild-action';
import { InvalidInput } from '../../manager/compute-errors';
import { type ComputeRequest, callerContext } from '../compute-request';
import { compactIpv6, fullView, randomPassword, withServerGroups } from './server-controller';

const NAME = /^(?![\s])[\s\S]*(?<![\s])$/;
const META_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;

const bad = (field: string, value: unknown, why: string) =>
  new InvalidInput(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. ${why}`);

/** The keys a rebuild body may carry at the request's microversion (upstream's schema per version). */
function allowedKeys(req: ComputeRequest): string[] {
  const mv = req.microversion;
  const keys = ['imageRef', 'name', 'adminPass', 'metadata', 'preserve_ephemeral', 'OS-DCF:diskConfig'];
  keys.push('accessIPv4', 'accessIPv6');
  if (!mv.atLeast('2.57')) keys.push('personality');
  if (mv.atLeast('2.19')) keys.push('description');
  if (mv.atLeast('2.54')) keys.push('key_name');
  if (mv.atLeast('2.57')) keys.push('user_data');
  if (mv.atLeast('2.63')) keys.push('trusted_image_certificates');
  if (mv.atLeast('2.90')) keys.push('hostname');
  return keys;
}

/** Validates a rebuild body as upstream's JSON schema does (400 with its message). */
function parse(req: ComputeRequest, v: any): { input: RebuildInput; adminPass: string | undefined } {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw bad('rebuild', v, "is not of type 'object'");
  const extra = Object.keys(v).filter((k) => !allowedKeys(req).includes(k));
  if (extra.length)
    throw new InvalidInput(`Additional properties are not allowed ('${extra[0]}' was unexpected)`);
  if (v.imageRef === undefined) throw new InvalidInput("'imageRef' is a required property");
  if (typeof v.imageRef !== 'string' || !v.imageRef)
    throw bad('imageRef', v.imageRef, "is not of type 'string'");
  const input: RebuildInput = {
    imageRef: v.imageRef.replace(/^.*\//, ''),
    preserveEphemeral: false,
  };
  if (v.name !== undefined) {
    if (typeof v.name !== 'string' || v.name.length < 1 || v.name.length > 255 || !NAME.test(v.name))
      throw bad('name', v.name, 'is not a valid name');
    input.name = v.name;
  }
  if (v.adminPass !== undefined && typeof v.adminPass !== 'string')
    throw bad('adminPass', v.adminPass, "is not of type 'string'");
  if (v.metadata !== undefined) {
    if (v.metadata === null || typeof v.metadata !== 'object' || Array.isArray(v.metadata))
      throw bad('metadata', v.metadata, "is not of type 'object'");
    for (const [k, val] of Object.entries(v.metadata)) {
      if (!META_KEY.test(k)) throw bad('metadata', v.metadata, `'${k}' does not match any of the regexes`);
      if (typeof val !== 'string' || val.length > 255)
        throw bad('metadata', v.metadata, 'is not a valid value');
    }
    input.metadata = v.metadata;
  }
  if (v.preserve_ephemeral !== undefined) {
    if (typeof v.preserve_ephemeral !== 'boolean')
      throw bad('preserve_ephemeral', v.preserve_ephemeral, "is not of type 'boolean'");
    input.preserveEphemeral = v.preserve_ephemeral;
  }
  const disk = v['OS-DCF:diskConfig'];
  if (disk !== undefined && disk !== 'AUTO' && disk !== 'MANUAL')
    throw bad('OS-DCF:diskConfig', disk, "is not one of ['AUTO', 'MANUAL']");
  if (disk !== undefined) input.diskConfig = disk;
  if (v.accessIPv4 !== undefined) {
    if (typeof v.accessIPv4 !== 'string' || (v.accessIPv4 && !/^(\d{1,3}\.){3}\d{1,3}$/.test(v.accessIPv4)))
      throw bad('accessIPv4', v.accessIPv4, "is not a 'ipv4'");
    input.accessIpV4 = v.accessIPv4;
  }
  if (v.accessIPv6 !== undefined) {
    if (typeof v.accessIPv6 !== 'string') throw bad('accessIPv6', v.accessIPv6, "is not a 'ipv6'");
    input.accessIpV6 = compactIpv6(v.accessIPv6);
  }
  if (v.description !== undefined) {
    if (v.description !== null && (typeof v.description !== 'string' || v.description.length > 255))
      throw bad('description', v.description, 'is not a valid description');
    input.description = v.description;
  }
  if (v.key_name !== undefined) {
    if (v.key_name !== null && (typeof v.key_name !== 'string' || !v.key_name || v.key_name.length > 255))
      throw bad('key_name', v.key_name, "is not of type 'string', 'null'");
    input.keyName = v.key_name;
  }
  if (v.user_data !== undefined) {
    if (v.user_data !== null) {
      const compact = typeof v.user_data === 'string' ? v.user_data.replace(/\s+/g, '') : '';
      if (
        typeof v.user_data !== 'string' ||
        v.user_data.length > 65535 ||
        !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) ||
        compact.length % 4 !== 0
      )
        throw bad('user_data', v.user_data, "is not a 'base64'");
    }
    input.userData = v.user_data;
  }
  if (v.hostname !== undefined) {
    if (typeof v.hostname !== 'string' || !v.hostname || v.hostname.length > 255)
      throw bad('hostname', v.hostname, 'is not a valid hostname');
    input.hostname = v.hostname;
  }
  return { input, adminPass: v.adminPass };
}

/** `rebuild`: 202 with the server (REBUILD), its new admin password, per microversion. */
export async function rebuildAction(req: ComputeRequest<Record<string, any>>, i: Instance, value: any) {
  const { input, adminPass } = parse(req, value);
  req.authorize('os_compute_api:servers:rebuild', { project_id: i.projectId, user_id: i.userId });
  const rebuilt = await req.services.rebuilds.rebuild(callerContext(req), i, input);
  const mv = req.microversion;
  const server = await withServerGroups(req, rebuilt, fullView(req, rebuilt, !mv.atLeast('2.75')));
  if (mv.atLeast('2.54')) server.key_name = rebuilt.keyName;
  if (mv.atLeast('2.57')) server.user_data = rebuilt.userData;
  if (mv.atLeast('2.75')) delete server['OS-EXT-SRV-ATTR:user_data'];
  server.adminPass = adminPass ?? randomPassword();
  return respond(202, { server });
}
