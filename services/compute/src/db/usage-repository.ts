import type { Database } from '@nimbus/db';
import type { ComputeTables } from './compute-tables';
import { type Instance, toInstance } from './instance-repository';

/** Reads for usage reports: servers that ran at some time in a period, deleted ones included. */
export class UsageRepository {
  constructor(private readonly db: Database<ComputeTables>) {}

  /**
   * Servers launched by `stop` and not terminated before `start` (timestamps in the stored
   * format), of one project or of all, oldest first.
   */
  async ranDuring(start: string, stop: string, projectId?: string): Promise<Instance[]> {
    let q = this.db.kysely
      .selectFrom('instances')
      .selectAll()
      .where('launched_at', 'is not', null)
      .where('launched_at', '<=', stop)
      .where((eb) => eb.or([eb('terminated_at', 'is', null), eb('terminated_at', '>=', start)]));
    if (projectId !== undefined) q = q.where('project_id', '=', projectId);
    const rows = await q.orderBy('created_at').orderBy('uuid').execute();
    return rows.map(toInstance);
  }
}
