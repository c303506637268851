import type { PlacementRequest } from './placement-request';
import { usagesQuery19, usagesQuery138 } from './placement-schemas';
import { jsonReply } from './replies';

/** GET /resource_providers/{uuid}/usages: every class with inventory. */
export async function providerUsages(req: PlacementRequest) {
  req.acceptJson();
  req.authorize('placement:resource_providers:usages');
  const p = await req.services.providers.get(req.params.uuid!);
  return jsonReply(req, {
    resource_provider_generation: p.generation,
    usages: await req.services.usages.ofProvider(p.id),
  });
}

/** GET /usages (1.9): a project's (and user's) usage; from 1.38 grouped by consumer type with consumer counts. */
export async function totalUsages(req: PlacementRequest) {
  req.acceptJson();
  const projectId = req.query.get('project_id');
  req.authorize('placement:usages', { project_id: projectId ?? null });
  const byType = req.atLeast('1.38');
  req.query.validate(byType ? usagesQuery138 : usagesQuery19);
  const rows = await req.services.usages.ofProject(projectId!, req.query.get('user_id'));
  if (!byType) {
    const usages: Record<string, number> = {};
    for (const r of rows) usages[r.resourceClass] = (usages[r.resourceClass] ?? 0) + r.used;
    return jsonReply(req, { usages });
  }
  const wanted = req.query.get('consumer_type');
  const groups: Record<string, Record<string, number>> = {};
  const consumers: Record<string, Set<string>> = {};
  for (const r of rows) {
    const type = r.consumerType ?? 'unknown';
    let key: string;
    if (wanted === 'all') key = 'all';
    else if (wanted === undefined) key = type;
    else if (wanted === type) key = type;
    else continue;
    groups[key] ??= {};
    const g = groups[key]!;
    g[r.resourceClass] = (g[r.resourceClass] ?? 0) + r.used;
    consumers[key] ??= new Set();
    consumers[key]!.add(r.consumer);
  }
  for (const [key, set] of Object.entries(consumers)) groups[key]!.consumer_count = set.size;
  return jsonReply(req, { usages: groups });
}
