import { InvalidInput } from '../../manager/compute-errors';
import type { ComputeRequest } from '../compute-request';

/** The network quotas quota classes showed before 2.50, with the values Nova answers. */
const LEGACY_NETWORK = { fixed_ips: -1, floating_ips: 10, security_group_rules: 20, security_groups: 10 };

/** The API keys of a quota class set at this microversion, and the resource each stands for. */
function keys(req: ComputeRequest<unknown>): [string, string][] {
  const mv = req.microversion;
  const out: [string, string][] = [
    ['instances', 'instances'],
    ['cores', 'cores'],
    ['ram', 'ram'],
    ['metadata_items', 'metadata_items'],
    ['key_pairs', 'key_pairs'],
  ];
  if (!mv.atLeast('2.57'))
    out.push(
      ['injected_files', 'injected_files'],
      ['injected_file_content_bytes', 'injected_file_content_bytes'],
      ['injected_file_path_bytes', 'injected_file_path_length'],
    );
  if (mv.atLeast('2.50'))
    out.push(['server_groups', 'server_groups'], ['server_group_members', 'server_group_members']);
  else for (const k of Object.keys(LEGACY_NETWORK)) out.push([k, k]);
  return out;
}

/** A class's limits by API key: its own values over the defaults (the legacy network values before 2.50). */
async function view(req: ComputeRequest<unknown>, className: string): Promise<Record<string, number>> {
  const defaults: Record<string, number> = {
    ...LEGACY_NETWORK,
    ...(await req.services.quotas.defaultLimits()),
  };
  const own = await req.services.quotas.classLimits(className);
  return Object.fromEntries(keys(req).map(([k, r]) => [k, own[r] ?? defaults[r] ?? -1]));
}

/** `GET /os-quota-class-sets/{class}`. */
export async function showQuotaClassSet(req: ComputeRequest<unknown>) {
  const id = req.params.class_name!;
  req.authorize('os_compute_api:os-quota-class-sets:show', { quota_class: id });
  return { quota_class_set: { id, ...(await view(req, id)) } };
}

/** `PUT /os-quota-class-sets/{class}`: the `default` class changes every project's defaults. */
export async function updateQuotaClassSet(
  req: ComputeRequest<{ quota_class_set?: Record<string, unknown> }>,
) {
  const id = req.params.class_name!;
  req.authorize('os_compute_api:os-quota-class-sets:update', {});
  if (id.length < 1 || id.length > 255)
    throw new InvalidInput('The quota class name must be 1 to 255 characters.');
  const body = req.body?.quota_class_set;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidInput(
      "Invalid input for field/attribute quota_class_set. 'quota_class_set' is a required property",
    );
  const allowed = new Map(keys(req));
  const changes: Record<string, number> = {};
  for (const [k, v] of Object.entries(body)) {
    const resource = allowed.get(k);
    if (!resource) throw new InvalidInput(`Additional properties are not allowed ('${k}' was unexpected)`);
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < -1 || n > 0x7fffffff)
      throw new InvalidInput(`Invalid input for field/attribute ${k}. Value: ${String(v)}.`);
    changes[resource] = n;
  }
  await req.services.quotas.setClass(id, changes);
  return { quota_class_set: await view(req, id) };
}
