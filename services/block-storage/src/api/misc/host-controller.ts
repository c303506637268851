import { CinderNotFound } from '../../manager/cinder-errors';
import { cinderTime } from '../../manager/clock';
import { authorize, checkProject, q, type Req } from '../cinder-request';

/** `GET /os-hosts`: every service host (the legacy hosts extension). */
export async function listHosts(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:hosts');
  const zone = q(req, 'zone');
  const upAfter = cinderTime(new Date(Date.now() - 60_000));
  const services = (await req.services.stores.services.list()).filter((s) => !zone || s.zone === zone);
  return {
    hosts: services.map((s) => ({
      host_name: s.host,
      service: s.binary,
      zone: s.zone,
      'service-status': s.heartbeat_at >= upAfter ? 'available' : 'unavailable',
      'service-state': s.disabled ? 'disabled' : 'enabled',
      'last-update': s.heartbeat_at,
    })),
  };
}

/** `GET /os-hosts/{host}`: volume and snapshot usage per project on one enabled volume host. */
export async function showHost(req: Req) {
  checkProject(req);
  authorize(req, 'volume_extension:hosts');
  const host = String(req.params.host);
  const service = (await req.services.stores.services.list()).find(
    (s) => s.binary === 'cinder-volume' && s.host === host && !s.disabled,
  );
  if (!service) throw new CinderNotFound('Host', host);
  const volumes = (await req.services.stores.volumes.list()).filter((v) => v.host?.split('#')[0] === host);
  const ids = new Set(volumes.map((v) => v.id));
  const snapshots = (await req.services.stores.snapshots.list()).filter((s) => ids.has(s.volume_id));
  const row = (project: string, vs: typeof volumes, ss: typeof snapshots) => ({
    resource: {
      host,
      project,
      volume_count: String(vs.length),
      total_volume_gb: String(vs.reduce((n, v) => n + v.size, 0)),
      snapshot_count: String(ss.length),
      total_snapshot_gb: String(ss.reduce((n, s) => n + s.volume_size, 0)),
    },
  });
  const projects = [...new Set(volumes.map((v) => v.project_id))];
  return {
    host: [
      row('(total)', volumes, snapshots),
      ...projects.map((p) =>
        row(
          p,
          volumes.filter((v) => v.project_id === p),
          snapshots.filter((s) => s.project_id === p),
        ),
      ),
    ],
  };
}
