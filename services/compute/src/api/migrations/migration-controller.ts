import { BadRequestError, NotFoundError } from '@nimbus/errors';
import type { MigrationFilters } from '../../db/migration-repository';
import { InstanceNotFound } from '../../manager/compute-errors';
import { type ComputeRequest, findServer } from '../compute-request';
import { apiBase } from '../compute-view-helpers';
import { IN_PROGRESS, migrationView, serverMigrationView } from './migration-view';

const one = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[v.length - 1] : v;

/** `GET /os-migrations` (admin): filters, and paging by uuid marker at 2.59. */
export async function listMigrations(req: ComputeRequest<unknown>) {
  req.authorize('os_compute_api:os-migrations:index', { project_id: req.credentials.projectId ?? '' });
  const q = req.query as Record<string, string | string[]>;
  const f: MigrationFilters = {};
  const s = (k: string) => one(q[k]);
  if (s('instance_uuid')) f.instanceUuid = s('instance_uuid')!;
  if (s('status')) f.status = s('status')!;
  if (s('host')) f.host = s('host')!;
  if (s('source_compute')) f.sourceCompute = s('source_compute')!;
  if (req.microversion.atLeast('2.23') && s('migration_type')) f.migrationType = s('migration_type')!;
  if (req.microversion.atLeast('2.80')) {
    if (s('project_id')) f.projectId = s('project_id')!;
    if (s('user_id')) f.userId = s('user_id')!;
  }
  const page: { limit?: number; markerId?: number } = {};
  let limit: number | undefined;
  if (req.microversion.atLeast('2.59')) {
    if (s('changes-since')) f.changesSince = new Date(s('changes-since')!).toISOString();
    if (s('changes-before')) f.changesBefore = new Date(s('changes-before')!).toISOString();
    const l = s('limit');
    if (l !== undefined) {
      if (!/^\d+$/.test(l))
        throw new BadRequestError(`Invalid input for query parameters limit. Value: ${l}.`);
      limit = Number(l);
      page.limit = limit;
    }
    const marker = s('marker');
    if (marker !== undefined) {
      const m = await req.services.migrations.byUuid(marker);
      if (!m) throw new BadRequestError(`Marker ${marker} could not be found.`);
      page.markerId = m.id;
    }
  }
  const rows = await req.services.migrations.list(f, page);
  const body: Record<string, unknown> = { migrations: rows.map((m) => migrationView(req, m)) };
  if (limit !== undefined && rows.length === limit && limit > 0) {
    const url = new URL(`${apiBase(req)}/os-migrations`);
    for (const [k, v] of Object.entries(q)) if (k !== 'marker') url.searchParams.set(k, String(one(v)));
    url.searchParams.set('marker', rows[rows.length - 1]!.uuid);
    body.migrations_links = [{ rel: 'next', href: url.toString() }];
  }
  return body;
}

/** `GET /servers/{id}/migrations` (2.23): the server's live migrations under way. */
export async function listServerMigrations(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:migrations:index');
  const rows = await req.services.migrations.list({ instanceUuid: i.uuid, migrationType: 'live-migration' });
  return {
    migrations: rows.filter((m) => IN_PROGRESS.has(m.status)).map((m) => serverMigrationView(req, m)),
  };
}

/** `GET /servers/{id}/migrations/{migration_id}` (2.23). */
export async function showServerMigration(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:servers:migrations:show');
  const id = Number(req.params.migration_id);
  const m = Number.isInteger(id) ? await req.services.migrations.get(id) : undefined;
  if (!m || m.instanceUuid !== i.uuid) {
    if (!m) throw new NotFoundError(`Migration ${req.params.migration_id} could not be found.`);
    throw new InstanceNotFound(i.uuid);
  }
  if (m.migrationType !== 'live-migration')
    throw new NotFoundError(`Migration ${m.id} for instance ${i.uuid} is not live-migration.`);
  if (!IN_PROGRESS.has(m.status))
    throw new NotFoundError(`In-progress live migration ${m.id} is not found for server ${i.uuid}.`);
  return { migration: serverMigrationView(req, m) };
}
